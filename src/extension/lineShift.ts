/**
 * Keeps per-line annotations on their lines while the user edits: lines after an edit move by
 * the number of lines it added or removed; lines the edit removed lose their annotation. Pure.
 */

export interface LineEdit {
  /** 0-based first and last line of the replaced range. */
  startLine: number;
  endLine: number;
  /** Number of line breaks in the inserted text. */
  insertedLineBreaks: number;
}

export function shiftLines<T extends { line: number }>(items: readonly T[], edit: LineEdit): T[] {
  const delta = edit.insertedLineBreaks - (edit.endLine - edit.startLine);
  const out: T[] = [];
  for (const item of items) {
    // NOTE: the edit's first line keeps its annotation: the text before the edit stays there.
    if (item.line <= edit.startLine) out.push(item);
    else if (item.line > edit.endLine) out.push({ ...item, line: item.line + delta });
  }
  return out;
}
