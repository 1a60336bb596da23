/**
 * The extent of the call expression at a column, for locations that carry only a start (a stack
 * frame points at the called name: `matmul` in `torch.matmul(doubled, b)`): the callee's object
 * chain before it and the argument list after it, on that line. Pure text; strings are skipped
 * so that a `)` inside one does not end the call.
 */

const IDENT = /[\p{ID_Continue}$\u200c\u200d]/u;

/** 0-based [start, end) of the call around `column` (0-based), or null when it is not a call. */
export function callExtent(line: string, column: number): { start: number; end: number } | null {
  let nameEnd = column;
  while (nameEnd < line.length && IDENT.test(line[nameEnd])) nameEnd++;
  if (nameEnd === column) return null;
  let open = nameEnd;
  while (line[open] === ' ') open++;
  if (line[open] !== '(') return null;

  let depth = 0;
  let quote: string | null = null;
  let end = -1;
  for (let i = open; i < line.length && end < 0; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '\'' || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) end = i + 1;
  }
  if (end < 0) end = line.trimEnd().length; // the call continues on the next lines

  // `torch.nn.functional.` before the name: part of what is called.
  let start = column;
  while (start > 0 && line[start - 1] === '.') {
    let s = start - 1;
    while (s > 0 && IDENT.test(line[s - 1])) s--;
    if (s === start - 1) break;
    start = s;
  }
  return { start, end };
}
