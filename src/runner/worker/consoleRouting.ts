/**
 * Routes the script's console and stdout/stderr to the host as log entries, formatted by Node's
 * own Console (so `console.log(t)` prints a tensor as PyTorch does, through its inspect.custom).
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import type { LogLevel } from '../../protocol/messages';

export type LogSink = (level: LogLevel, text: string) => void;

const METHOD_LEVELS: Record<string, LogLevel> = {
  log: 'log', info: 'info', debug: 'debug', dir: 'log', dirxml: 'log', table: 'log', group: 'log',
  groupCollapsed: 'log', count: 'log', countReset: 'warn', time: 'log', timeEnd: 'log', timeLog: 'log',
  warn: 'warn', error: 'error', trace: 'error', assert: 'error',
};

/** A stream that hands over every complete chunk; Console writes one chunk per call. */
function chunkStream(onChunk: (text: string) => void): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      onChunk(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
}

/** Raw `process.stdout.write` output is line-buffered so partial writes form whole lines. */
class LineBuffer {
  private pending = '';
  constructor(private readonly level: LogLevel, private readonly sink: LogSink) {}

  write(text: string): void {
    this.pending += text;
    const cut = this.pending.lastIndexOf('\n');
    if (cut < 0) return;
    this.sink(this.level, this.pending.slice(0, cut));
    this.pending = this.pending.slice(cut + 1);
  }

  flush(): void {
    if (this.pending !== '') this.sink(this.level, this.pending);
    this.pending = '';
  }
}

/** Replaces the global console's methods and stdout/stderr writes; returns a flush for the end. */
export function routeConsole(sink: LogSink): () => void {
  let level: LogLevel | null = null;
  const emit = (fallback: LogLevel) => (text: string): void => {
    sink(level ?? fallback, text.endsWith('\n') ? text.slice(0, -1) : text);
  };
  const inner = new Console({ stdout: chunkStream(emit('log')), stderr: chunkStream(emit('error')), colorMode: false });
  const target = globalThis.console as unknown as Record<string, unknown>;
  const source = inner as unknown as Record<string, unknown>;
  for (const [method, methodLevel] of Object.entries(METHOD_LEVELS)) {
    const fn = source[method];
    if (typeof fn !== 'function') continue;
    target[method] = (...args: unknown[]): void => {
      const previous = level;
      level = methodLevel;
      try {
        (fn as (...a: unknown[]) => void).apply(inner, args);
      } finally {
        level = previous;
      }
    };
  }
  for (const method of ['groupEnd']) {
    const fn = source[method];
    if (typeof fn === 'function') target[method] = (...args: unknown[]) => (fn as (...a: unknown[]) => void).apply(inner, args);
  }
  const out = new LineBuffer('log', sink);
  const err = new LineBuffer('error', sink);
  const writeTo = (buffer: LineBuffer) => (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array
      ? Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : String(chunk);
    buffer.write(text);
    const cb = typeof encoding === 'function' ? encoding : callback;
    if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
    return true;
  };
  process.stdout.write = writeTo(out) as typeof process.stdout.write;
  process.stderr.write = writeTo(err) as typeof process.stderr.write;
  return () => { out.flush(); err.flush(); };
}
