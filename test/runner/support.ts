/** Shared by the runner and CLI tests: builds the bundles once, finds text in fixtures, reads the oracle. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');
export const scripts = path.join(root, 'test/fixtures/scripts');
/** The autograd tutorial as shipped (examples/): the script most tests run. */
export const tutorialScript = path.join(root, 'examples/autograd-tutorial.ts');
export const workerPath = path.join(root, 'dist/worker.js');

const built = new Set<string>();
/** `node scripts/build.mjs --only <targets>` once per test process. */
export function build(targets: string): void {
  if (built.has(targets)) return;
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--only', targets], { cwd: root, stdio: 'pipe' });
  built.add(targets);
}

/**
 * 1-based line and column of the `occurrence`-th `needle` in `file`'s code: comment lines are
 * skipped (the shipped examples quote their code in their header comments).
 */
export function locate(file: string, needle: string, occurrence = 0): { line: number; column: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(\/\/|\/\*|\*)/.test(lines[i])) continue;
    let from = 0;
    for (;;) {
      const at = lines[i].indexOf(needle, from);
      if (at < 0) break;
      if (seen++ === occurrence) return { line: i + 1, column: at + 1 };
      from = at + 1;
    }
  }
  throw new Error(`${needle} not found in ${file}`);
}

export interface OracleProgram {
  id: string;
  stdout: string;
  results: Record<string, { data: number[]; shape: number[] }>;
}

export function oracleProgram(id: string): OracleProgram {
  const dir = process.env.GRADSCOPE_SHARED_DIR ?? [path.resolve(root, '../shared'), '/work/shared'].find((d) => fs.existsSync(path.join(d, 'oracle')));
  if (!dir) throw new Error('oracle fixtures not found (set GRADSCOPE_SHARED_DIR)');
  for (const line of fs.readFileSync(path.join(dir, 'oracle/programs.json'), 'utf8').split('\n')) {
    const trimmed = line.trim().replace(/,$/, '');
    if (!trimmed.startsWith('{')) continue;
    const program = JSON.parse(trimmed) as OracleProgram;
    if (program.id === id) return program;
  }
  throw new Error(`oracle program ${id} not found`);
}
