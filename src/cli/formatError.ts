/** How the CLI shows a failed run: where, what, the user's frames, and the offending line. */
import fs from 'node:fs';
import path from 'node:path';
import type { RunError } from '../protocol/messages';
import type { SourceLocation } from '../protocol/snapshot';

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** The source line with a caret under the column (like esbuild and Python 3.11). */
export function codeFrame(location: SourceLocation): string | null {
  let text: string;
  try {
    text = fs.readFileSync(location.file, 'utf8');
  } catch {
    return null;
  }
  const line = text.split(/\r\n|\r|\n/)[location.line - 1];
  if (line === undefined) return null;
  const gutter = String(location.line);
  const width = location.endLine === location.line && location.endColumn !== undefined
    ? Math.max(1, location.endColumn - location.column) : 1;
  const indent = line.slice(0, location.column - 1).replace(/[^\t]/g, ' ');
  return `${gutter} | ${line}\n${' '.repeat(gutter.length)} | ${indent}${'^'.repeat(width)}`;
}

export function formatRunError(error: RunError, cwd: string): string {
  const out: string[] = [];
  const where = error.location ? `${displayPath(error.location.file, cwd)}:${error.location.line}:${error.location.column}` : null;
  const title = error.kind === 'compile' ? `error: ${error.message}` : `${error.pyType ?? error.name}: ${error.message}`;
  out.push(where ? `${where}: ${title}` : title);
  if (error.location) {
    const frame = codeFrame(error.location);
    if (frame) out.push(frame);
  }
  // The stack's first line repeats the message; the frames below it are the useful part.
  const frames = error.stack?.split('\n').filter((l) => /^\s+(at |\[previous)/.test(l)) ?? [];
  if (frames.length > 1) out.push(...frames.map((l) => l.replace(cwd + path.sep, '')));
  return out.join('\n');
}
