/**
 * What the mouse is on, for the hover: a plain identifier (`w`), or the `grad` of a simple
 * property access (`w.grad`, `w!.grad`, `w?.grad`). A light text scan, not a parse: the hover
 * only needs to recognise names the run bound, and must stay cheap on every mouse move.
 */

export interface HoveredName {
  /** The variable the hover is about. */
  name: string;
  /** `value`: the variable itself; `grad`: its `.grad`. */
  aspect: 'value' | 'grad';
  /** 0-based [start, end) of the hovered word within the line. */
  start: number;
  end: number;
}

const IDENT_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;
const IDENT_START = /[\p{ID_Start}$_]/u;

function wordAround(line: string, offset: number): { start: number; end: number } | null {
  let start = offset;
  let end = offset;
  while (start > 0 && IDENT_CHAR.test(line[start - 1])) start--;
  while (end < line.length && IDENT_CHAR.test(line[end])) end++;
  if (start === end || !IDENT_START.test(line[start])) return null;
  return { start, end };
}

/** Index where a `//` comment starts (outside '...' and "..." strings), or -1. */
function lineCommentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '\'' || c === '"') {
      quote = c;
    } else if (c === '/' && line[i + 1] === '/') {
      return i;
    }
  }
  return -1;
}

/** The non-space character before `index`, and its position. */
function previousSignificant(line: string, index: number): { char: string; at: number } | null {
  for (let i = index - 1; i >= 0; i--) if (line[i] !== ' ' && line[i] !== '\t') return { char: line[i], at: i };
  return null;
}

function nextSignificant(line: string, index: number): string | null {
  for (let i = index; i < line.length; i++) if (line[i] !== ' ' && line[i] !== '\t') return line[i];
  return null;
}

export function hoveredName(line: string, offset: number): HoveredName | null {
  const word = wordAround(line, offset);
  if (!word) return null;
  const comment = lineCommentStart(line);
  if (comment >= 0 && word.start >= comment) return null;
  // Inside a block comment (`/** … */` headers, ` * ` continuation lines): not code.
  if (/^\s*(\/\*|\*)/.test(line)) return null;
  const text = line.slice(word.start, word.end);
  const prev = previousSignificant(line, word.start);

  // `x.prop`: only `.grad` of a plain identifier is ours.
  if (prev?.char === '.') {
    if (text !== 'grad') return null;
    let dot = prev.at;
    if (line[dot - 1] === '?') dot--; // `w?.grad`
    let objEnd = dot;
    while (objEnd > 0 && (line[objEnd - 1] === ' ' || line[objEnd - 1] === '\t')) objEnd--;
    if (line[objEnd - 1] === '!') objEnd--; // `w!.grad`
    const obj = objEnd > 0 ? wordAround(line, objEnd - 1) : null;
    if (!obj || obj.end !== objEnd) return null;
    const before = previousSignificant(line, obj.start);
    if (before?.char === '.') return null; // `a.w.grad`: not a variable
    return { name: line.slice(obj.start, obj.end), aspect: 'grad', start: word.start, end: word.end };
  }
  // `{ w: 1 }` / `f({ a, w: 2 })`: an object key, not the variable.
  if (nextSignificant(line, word.end) === ':' && (prev?.char === '{' || prev?.char === ',')) return null;
  return { name: text, aspect: 'value', start: word.start, end: word.end };
}
