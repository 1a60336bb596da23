/**
 * Scope paths of the graph (composite-op and module calls, outermost first) with one name per call.
 *
 * NOTE [Scope names per call]
 * A node's `scope` holds names only, and the page merges two back-to-back calls with the same
 * path into one box. So each call gets its own name: the first call of `Linear[0]` in an iteration
 * is `Linear[0]`, the second `Linear[0]#2`, and so on. Counters restart with every iteration (each
 * outermost backward pass, as the structural keys of NOTE [One graph per training loop] do), so
 * iteration k's second `Linear[0]` call has the name iteration k-1's had and the loop stays one
 * graph.
 *
 * Paths are interned in a tree (a child per name), so entering a scope in a training loop finds
 * the path the previous iteration made instead of allocating one per call; the tree stops growing
 * past MAX_INTERNED_PATHS (a script making ever new names in one iteration gets fresh paths).
 */

export type ScopeKind = 'composite' | 'module';

/** One scope path; what records keep as their `scope`. */
export class ScopePath {
  /** Names of the enclosing scopes, outermost first (this scope's own name last). */
  readonly names: readonly string[];
  /** What the innermost scope is (null for the root path). */
  readonly kind: ScopeKind | null;
  /** PyTorch's fused backward of the innermost scope, as its latest call reported it. */
  gradFn: string | null;
  /** The enclosing path (null for the root). */
  readonly parent: ScopePath | null;
  private children: Map<string, ScopePath> | null = null;

  constructor(parent: ScopePath | null, names: readonly string[], kind: ScopeKind | null, gradFn: string | null) {
    this.parent = parent;
    this.names = names;
    this.kind = kind;
    this.gradFn = gradFn;
  }

  /** The interned child scope `name` of this path, if any. */
  find(name: string, kind: ScopeKind): ScopePath | undefined {
    const c = this.children?.get(name);
    return c !== undefined && c.kind === kind ? c : undefined;
  }

  adopt(name: string, child: ScopePath): void {
    (this.children ??= new Map()).set(name, child);
  }
}

/** Paths interned at most (each holds its names: a few hundred bytes). */
export const MAX_INTERNED_PATHS = 10_000;

/** Names from the script (class names, module keys) are kept printable-sized. */
const MAX_NAME_LENGTH = 200;

export function boundedName(name: string): string {
  return name.length <= MAX_NAME_LENGTH ? name : `${name.slice(0, MAX_NAME_LENGTH - 1)}…`;
}

/** The open scopes while the script runs, naming each call (see NOTE [Scope names per call]). */
export class ScopeTracker {
  readonly root = new ScopePath(null, [], null, null);
  private stack: ScopePath[] = [this.root];
  /** Calls per scope name in the current iteration. */
  private calls = new Map<string, number>();
  private interned = 0;

  /** The innermost open scope (what an op recorded now belongs to). */
  current(): ScopePath {
    return this.stack[this.stack.length - 1];
  }

  enter(rawName: string, kind: ScopeKind, gradFn: string | null): void {
    const base = boundedName(String(rawName));
    const n = (this.calls.get(base) ?? 0) + 1;
    // NOTE: a bounded map: only names seen in this iteration, cleared at its end.
    if (this.calls.size < MAX_INTERNED_PATHS || n > 1) this.calls.set(base, n);
    const name = n === 1 ? base : `${base}#${n}`;
    const fused = typeof gradFn === 'string' ? boundedName(gradFn) : null;
    const parent = this.current();
    let next = parent.find(name, kind);
    if (next === undefined) {
      next = new ScopePath(parent, [...parent.names, name], kind, fused);
      if (this.interned < MAX_INTERNED_PATHS) {
        parent.adopt(name, next);
        this.interned++;
      }
    } else {
      next.gradFn = fused;
    }
    this.stack.push(next);
  }

  exit(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  /** An iteration ended: the next one names its calls from 1 again. */
  endIteration(): void {
    this.calls.clear();
  }
}
