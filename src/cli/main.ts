/**
 * `gradscope`: runs a script without VS Code.
 *
 *   gradscope run examples/autograd-tutorial.ts --html graph.html --json graph.json
 *
 * The script's console goes to stdout (warnings and errors to stderr) exactly as it prints it;
 * Gradscope's own messages go to stderr, so stdout can be compared with Python's output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderStandaloneHtml } from '../export/standaloneHtml';
import { encodeSnapshotJson } from '../protocol/snapshotJson';
import { runScript, type RunResult } from '../runner/runScript';
import { parseArgs, USAGE, type RunCommand } from './args';
import { formatRunError } from './formatError';
import packageJson from '../../package.json';

const EXIT = { ok: 0, error: 1, usage: 2, timeout: 3, oom: 4, cancelled: 130 } as const;

function writeOut(file: string, text: string, quiet: boolean): boolean {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
    if (!quiet) process.stderr.write(`gradscope: wrote ${file}\n`);
    return true;
  } catch (e) {
    process.stderr.write(`gradscope: could not write ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  }
}

function writeOutputs(cmd: RunCommand, result: RunResult): boolean {
  if (!cmd.json && !cmd.html) return true;
  const snapshot = result.snapshot;
  if (!snapshot) {
    process.stderr.write('gradscope: no graph to write (the script did not run to a snapshot)\n');
    return false;
  }
  let ok = true;
  if (cmd.json) ok = writeOut(cmd.json, encodeSnapshotJson(snapshot, 2), cmd.quiet) && ok;
  if (cmd.html) {
    let html: string | null = null;
    try {
      html = renderStandaloneHtml(snapshot);
    } catch (e) {
      process.stderr.write(`gradscope: could not render the HTML page: ${e instanceof Error ? e.message : String(e)}\n`);
      ok = false;
    }
    if (html !== null) ok = writeOut(cmd.html, html, cmd.quiet) && ok;
  }
  return ok;
}

async function run(cmd: RunCommand): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const result = await runScript(cmd.file, {
    signal: controller.signal,
    ...(cmd.timeoutMs !== null ? { timeoutMs: cmd.timeoutMs } : {}),
    ...(cmd.maxMemoryMb !== null ? { maxMemoryMb: cmd.maxMemoryMb } : {}),
    ...(cmd.maxValuesPerTensor !== null ? { maxValuesPerTensor: cmd.maxValuesPerTensor } : {}),
    onLog: (entry) => {
      if (cmd.quiet && entry.source === 'script') return;
      const stream = entry.level === 'warn' || entry.level === 'error' ? process.stderr : process.stdout;
      stream.write(`${entry.text}\n`);
    },
  });
  process.removeListener('SIGINT', onSigint);
  const written = writeOutputs(cmd, result);
  if (result.status !== 'ok' && result.error) process.stderr.write(`${formatRunError(result.error, process.cwd())}\n`);
  const code = EXIT[result.status];
  return code === 0 && !written ? EXIT.error : code;
}

async function main(argv: readonly string[]): Promise<number> {
  const cmd = parseArgs(argv);
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    case 'version':
      process.stdout.write(`${packageJson.version}\n`);
      return EXIT.ok;
    case 'usageError':
      process.stderr.write(`gradscope: ${cmd.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    case 'run':
      return run(cmd);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`gradscope: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = EXIT.error;
  },
);
