/** Command-line parsing for `gradscope`: a small, strict parser (unknown flags are errors). */

export interface RunCommand {
  kind: 'run';
  file: string;
  html: string | null;
  json: string | null;
  timeoutMs: number | null;
  maxMemoryMb: number | null;
  maxValuesPerTensor: number | null;
  quiet: boolean;
}

export type Command = RunCommand | { kind: 'help' } | { kind: 'version' } | { kind: 'usageError'; message: string };

export const USAGE = `Usage: gradscope run <file.ts> [options]

Runs a TypeScript script written against the gradscope library (PyTorch's API), prints its output,
and records its computational graph.

Options:
  --html <out.html>        write the graph as a self-contained HTML page
  --json <out.json>        write the graph snapshot as JSON (NaN/Infinity as strings)
  --timeout-ms <n>         stop the script after n milliseconds (default 60000)
  --max-memory-mb <n>      stop the script when it uses more than n MB (default 2048)
  --max-values <n>         values kept per tensor in the graph (default 1000)
  --quiet                  do not echo the script's output (errors are still printed)
  -h, --help               show this help
  -v, --version            show the version

Exit codes: 0 success, 1 the script failed, 2 usage error, 3 timeout, 4 out of memory,
130 interrupted.`;

function positiveInt(flag: string, value: string | undefined): number | string {
  if (value === undefined) return `${flag} needs a value`;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : `${flag} expects a positive integer, got ${JSON.stringify(value)}`;
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) return { kind: 'usageError', message: 'missing command' };
  if (argv.includes('-h') || argv.includes('--help')) return { kind: 'help' };
  if (argv[0] === '-v' || argv[0] === '--version') return { kind: 'version' };
  if (argv[0] !== 'run') return { kind: 'usageError', message: `unknown command ${JSON.stringify(argv[0])}` };
  const cmd: RunCommand = { kind: 'run', file: '', html: null, json: null, timeoutMs: null, maxMemoryMb: null, maxValuesPerTensor: null, quiet: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--html':
      case '--json': {
        const v = value();
        if (!v) return { kind: 'usageError', message: `${flag} needs a file name` };
        if (flag === '--html') cmd.html = v; else cmd.json = v;
        break;
      }
      case '--timeout-ms':
      case '--max-memory-mb':
      case '--max-values': {
        const n = positiveInt(flag, value());
        if (typeof n === 'string') return { kind: 'usageError', message: n };
        if (flag === '--timeout-ms') cmd.timeoutMs = n;
        else if (flag === '--max-memory-mb') cmd.maxMemoryMb = n;
        else cmd.maxValuesPerTensor = n;
        break;
      }
      case '--quiet':
        cmd.quiet = true;
        break;
      default:
        if (a.startsWith('-')) return { kind: 'usageError', message: `unknown option ${a}` };
        if (cmd.file) return { kind: 'usageError', message: `unexpected argument ${JSON.stringify(a)} (one file per run)` };
        cmd.file = a;
    }
  }
  if (!cmd.file) return { kind: 'usageError', message: 'missing the script to run' };
  return cmd;
}
