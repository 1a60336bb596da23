/**
 * Small readers of the user's original source text (embedded in the source map): the identifier
 * at a position, and where a call's argument list closes. Source maps only map token starts, so
 * the end of an expression has to be found in the text itself.
 */

/** Text access by 1-based line. */
export type LineReader = (line: number) => string | undefined;

const IDENTIFIER = /^[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*/;

/** The identifier starting at (line, column 0-based), or null. */
export function identifierAt(read: LineReader, line: number, column: number): string | null {
  const text = read(line);
  if (text === undefined) return null;
  const m = IDENTIFIER.exec(text.slice(column));
  return m ? m[0] : null;
}

/** A cursor over the original text that skips whitespace and comments. */
class Cursor {
  private text: string | undefined;
  constructor(private readonly read: LineReader, public line: number, public column: number) {
    this.text = read(line);
  }

  get done(): boolean {
    return this.text === undefined;
  }

  peek(offset = 0): string {
    if (this.text === undefined) return '';
    return this.text.charAt(this.column + offset);
  }

  advance(n = 1): void {
    for (let i = 0; i < n && this.text !== undefined; i++) {
      this.column++;
      if (this.column >= this.text.length) this.nextLine();
    }
  }

  private nextLine(): void {
    this.line++;
    this.column = 0;
    this.text = this.read(this.line);
    // Skip empty lines so `peek` always sees a character.
    while (this.text !== undefined && this.text.length === 0) { this.line++; this.text = this.read(this.line); }
  }

  skipSpaceAndComments(): void {
    for (let guard = 0; guard < 100_000 && !this.done; guard++) {
      const c = this.peek();
      if (c === ' ' || c === '\t') { this.advance(); continue; }
      if (c === '/' && this.peek(1) === '/') { this.nextLine(); continue; }
      if (c === '/' && this.peek(1) === '*') {
        this.advance(2);
        while (!this.done && !(this.peek() === '*' && this.peek(1) === '/')) this.advance();
        this.advance(2);
        continue;
      }
      if (this.text !== undefined && this.column >= this.text.length) { this.nextLine(); continue; }
      return;
    }
  }

  /** Skips a quoted string or template literal starting at the cursor. */
  skipString(): void {
    const quote = this.peek();
    this.advance();
    let braces = 0;
    while (!this.done) {
      const c = this.peek();
      if (c === '\\') { this.advance(2); continue; }
      if (quote === '`' && c === '$' && this.peek(1) === '{' && braces === 0) { this.advance(2); braces = 1; continue; }
      if (braces > 0) {
        if (c === '{') braces++;
        else if (c === '}') braces--;
        else if (c === '"' || c === "'" || c === '`') { this.skipString(); continue; }
        this.advance();
        continue;
      }
      this.advance();
      if (c === quote) return;
    }
  }
}

/**
 * End (exclusive, 0-based column) of the call whose callee name starts at (line, column): skips
 * the name, type arguments and `?.`, then matches the parentheses. Null when the text does not
 * look like a call.
 */
export function callEnd(read: LineReader, line: number, column: number): { line: number; column: number } | null {
  const cur = new Cursor(read, line, column);
  const name = identifierAt(read, line, column);
  if (name === null) return null;
  cur.advance(name.length);
  cur.skipSpaceAndComments();
  if (cur.peek() === '?' && cur.peek(1) === '.') { cur.advance(2); cur.skipSpaceAndComments(); }
  if (cur.peek() === '<') {
    let depth = 0;
    for (let guard = 0; guard < 10_000 && !cur.done; guard++) {
      const c = cur.peek();
      if (c === '<') depth++;
      else if (c === '>') depth--;
      cur.advance();
      if (depth === 0) break;
    }
    cur.skipSpaceAndComments();
  }
  if (cur.peek() !== '(') return null;
  let depth = 0;
  for (let guard = 0; guard < 1_000_000 && !cur.done; guard++) {
    cur.skipSpaceAndComments();
    const c = cur.peek();
    if (c === '"' || c === "'" || c === '`') { cur.skipString(); continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return { line: cur.line, column: cur.column + 1 };
    }
    cur.advance();
  }
  return null;
}
