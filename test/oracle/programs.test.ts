/**
 * programs.json (README §6): each Python program has a TypeScript port in `examples/`. The port
 * runs as a user would run it (`tsx <file>`, a child process) and its stdout is compared with
 * PyTorch's by README §6's suggested check (see stdoutCheck.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeFamily } from './family';
import { loadFamily, REPO_ROOT, type ProgramCase } from './fixtures';
import { stdoutProblems } from './stdoutCheck';

/**
 * THE mapping from fixture case to TypeScript port: the file under the repository root and its
 * command-line arguments (the micrograd port runs either test in either dtype:
 * `tsx examples/micrograd-sanity.ts <sanity_check|more_ops> <float32|float64>`).
 */
const PORTS: Record<string, { file: string; args?: string[] }> = {
  'tutorial/autograd_printed_output': { file: 'examples/autograd-tutorial.ts' },
  'polyfit/tutorial_seed0': { file: 'examples/polynomial-fit.ts' },
  'mlp/spirals_relu_sgd': { file: 'examples/mlp-spirals.ts' },
  'logreg/adam': { file: 'examples/logistic-regression-adam.ts' },
  'micrograd/sanity_check_float32': { file: 'examples/micrograd-sanity.ts', args: ['sanity_check', 'float32'] },
  'micrograd/sanity_check_float64': { file: 'examples/micrograd-sanity.ts', args: ['sanity_check', 'float64'] },
  'micrograd/more_ops_float32': { file: 'examples/micrograd-sanity.ts', args: ['more_ops', 'float32'] },
  'micrograd/more_ops_float64': { file: 'examples/micrograd-sanity.ts', args: ['more_ops', 'float64'] },
};

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const RUN_TIMEOUT_MS = 180_000;

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join(' | ');
}

function runCase(c: ProgramCase): string[] {
  const port = PORTS[c.id];
  if (port === undefined) return [`no TypeScript port is mapped to this case (add it to PORTS in test/oracle/programs.test.ts)`];
  const path = join(REPO_ROOT, port.file);
  if (!existsSync(path)) return [`the TypeScript port ${port.file} does not exist yet`];
  const run = spawnSync(TSX, [port.file, ...(port.args ?? [])], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
  });
  const command = `tsx ${[port.file, ...(port.args ?? [])].join(' ')}`;
  if (run.error !== undefined) return [`${command}: could not run: ${run.error.message}`];
  const problems: string[] = [];
  if (run.status !== 0) problems.push(`${command} exited with ${run.status ?? run.signal}: ${lastLines(run.stderr, 3)}`);
  problems.push(...stdoutProblems(run.stdout, c));
  return problems;
}

describeFamily<ProgramCase>('programs', loadFamily<ProgramCase>('programs'), runCase, RUN_TIMEOUT_MS + 10_000);
