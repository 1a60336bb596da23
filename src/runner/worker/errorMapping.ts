/**
 * Errors in terms of the user's source: stack frames of the running script are mapped through the
 * source maps (instrumented code → bundle → user files), library and Node frames are left out,
 * and the innermost user frame becomes the error's location.
 */
import type { RunError } from '../../protocol/messages';
import type { SourceLocation } from '../../protocol/snapshot';
import type { ScriptPositions } from '../sourcePositions';

export interface MappedFrame {
  functionName: string | null;
  location: SourceLocation;
}

/** Lines the worker's function wrapper adds before the script's first line. */
export const WRAPPER_LINES = 1;

const framesOf = new WeakMap<object, MappedFrame[]>();

/**
 * Installs `Error.prepareStackTrace` so every error's `.stack` (printed by the script, or by us)
 * shows the user's files and lines. `scriptFile` is the file name V8 sees for the script.
 */
export function installStackMapping(positions: ScriptPositions, scriptFile: string): void {
  Error.stackTraceLimit = 64;
  Error.prepareStackTrace = (error: unknown, callSites: NodeJS.CallSite[]): string => {
    let frames: MappedFrame[] = [];
    try {
      frames = mapFrames(callSites, positions, scriptFile);
      if (typeof error === 'object' && error !== null) framesOf.set(error, frames);
    } catch {
      // NOTE: a stack that cannot be mapped must never turn into a second error.
    }
    return formatStack(error, frames);
  };
}

function mapFrames(callSites: NodeJS.CallSite[], positions: ScriptPositions, scriptFile: string): MappedFrame[] {
  const out: MappedFrame[] = [];
  for (const cs of callSites) {
    if (cs.getFileName() !== scriptFile) continue;
    const line = cs.getLineNumber();
    const column = cs.getColumnNumber();
    if (line === null || column === null) continue;
    const o = positions.original(line - WRAPPER_LINES, column - 1);
    if (o === null || !positions.isUserFile(o.source)) continue;
    const fn = cs.getFunctionName() ?? cs.getMethodName();
    out.push({ functionName: fn && !fn.startsWith('__gs$') ? fn : null, location: { file: o.file, line: o.line, column: o.column + 1 } });
  }
  return out;
}

function header(error: unknown): string {
  try {
    if (error instanceof Error) return Error.prototype.toString.call(error);
    return String(error);
  } catch {
    return 'Error';
  }
}

function formatStack(error: unknown, frames: readonly MappedFrame[]): string {
  const out = [header(error)];
  let previous = '';
  let repeats = 0;
  const flushRepeats = (): void => {
    // Python's traceback style: a recursion shows its frame once, then how often it repeats.
    if (repeats > 0) out.push(`    [previous line repeated ${repeats} more time${repeats > 1 ? 's' : ''}]`);
    repeats = 0;
  };
  for (const f of frames) {
    const where = `${f.location.file}:${f.location.line}:${f.location.column}`;
    const line = f.functionName ? `    at ${f.functionName} (${where})` : `    at ${where}`;
    if (line === previous) { repeats++; continue; }
    flushRepeats();
    out.push(line);
    previous = line;
  }
  flushRepeats();
  return out.join('\n');
}

/** The user's frames of an error (computing its stack if nobody did yet). */
export function userFrames(error: unknown): MappedFrame[] {
  if (typeof error !== 'object' || error === null) return [];
  try {
    void (error as { stack?: unknown }).stack;
  } catch {
    return [];
  }
  return framesOf.get(error) ?? [];
}

/** A thrown value as data; `fallbackLocation` when it carries no user frame (`throw "x"`). */
export function describeError(error: unknown, kind: RunError['kind'], fallbackLocation: SourceLocation | null): RunError {
  const frames = userFrames(error);
  const location = frames[0]?.location ?? fallbackLocation ?? undefined;
  let name = 'Error';
  let message: string;
  let pyType: string | undefined;
  let stack: string | undefined;
  if (error instanceof Error) {
    name = safeString(() => error.name, 'Error');
    message = safeString(() => error.message, '');
    const py = safeString(() => (error as { pyType?: unknown }).pyType, '');
    if (py) pyType = py;
    const s = safeString(() => error.stack, '');
    if (s) stack = s;
  } else {
    name = typeof error === 'object' && error !== null ? 'Error' : typeof error;
    message = safeString(() => (typeof error === 'string' ? error : JSON.stringify(error) ?? String(error)), String(error));
  }
  return { kind, name, message, ...(pyType ? { pyType } : {}), ...(location ? { location } : {}), ...(stack ? { stack } : {}) };
}

function safeString(read: () => unknown, fallback: string): string {
  try {
    const v = read();
    return typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v);
  } catch {
    return fallback;
  }
}
