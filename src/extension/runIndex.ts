/**
 * Lookups over one run's snapshot for the editor features: which nodes sit on a line, which
 * binding a use of a name refers to, which lines bind tensors. Pure data (no `vscode`), built once
 * per run. Lines and columns are the snapshot's 1-based ones.
 */
import path from 'node:path';
import type { Binding, GraphNode, GraphSnapshot } from '../protocol/snapshot';

/** Same file, whatever the spelling (`/a/../a/x.ts`, a trailing separator). */
export function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/**
 * Whether a binding made at `b` is what a reader sees at `use`: a binding takes effect after its
 * line (so in `x = x.add(1)` the right-hand `x` is the previous value), or at its own identifier.
 */
function visibleAt(b: { line: number; column: number }, use: { line: number; column: number }): boolean {
  return b.line < use.line || (b.line === use.line && b.column === use.column);
}

function sourceOrder(a: { line: number; column: number }, b: { line: number; column: number }): number {
  return a.line - b.line || a.column - b.column;
}

export class RunIndex {
  private readonly nodes = new Map<string, GraphNode>();
  /** Bindings of each file, by name, in source order. */
  private readonly bindingsByFileAndName = new Map<string, Map<string, Binding[]>>();
  /** file → line → node ids (ops created there and tensors bound there), in snapshot order. */
  private readonly nodesByFileAndLine = new Map<string, Map<number, string[]>>();

  constructor(readonly snapshot: GraphSnapshot) {
    for (const n of snapshot.nodes) {
      this.nodes.set(n.id, n);
      if (n.location) this.addNodeOnLine(n.location.file, n.location.line, n.id);
    }
    for (const b of snapshot.bindings) {
      const file = path.resolve(b.location.file);
      let byName = this.bindingsByFileAndName.get(file);
      if (!byName) this.bindingsByFileAndName.set(file, (byName = new Map()));
      const list = byName.get(b.name) ?? [];
      list.push(b);
      byName.set(b.name, list);
      this.addNodeOnLine(file, b.location.line, b.nodeId);
    }
    for (const byName of this.bindingsByFileAndName.values()) {
      for (const list of byName.values()) list.sort((x, y) => sourceOrder(x.location, y.location));
    }
  }

  private addNodeOnLine(file: string, line: number, id: string): void {
    const key = path.resolve(file);
    let byLine = this.nodesByFileAndLine.get(key);
    if (!byLine) this.nodesByFileAndLine.set(key, (byLine = new Map()));
    const ids = byLine.get(line) ?? [];
    if (!ids.includes(id)) ids.push(id);
    byLine.set(line, ids);
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  /** Whether the run touched this file at all (its entry, or a module it imported). */
  coversFile(file: string): boolean {
    const key = path.resolve(file);
    return this.bindingsByFileAndName.has(key) || this.nodesByFileAndLine.has(key) || sameFile(file, this.snapshot.file);
  }

  nodesOnLine(file: string, line: number): string[] {
    return this.nodesByFileAndLine.get(path.resolve(file))?.get(line) ?? [];
  }

  /**
   * The binding a use of `name` at (line, column) refers to: the nearest binding of that name
   * before it in the same file (see visibleAt). NOTE: this ignores scopes on purpose — the snapshot has no
   * scope information, and in the scripts we run (straight-line code and loops at top level) the
   * nearest preceding assignment is the one that produced the value the reader sees.
   */
  bindingAt(file: string, name: string, line: number, column: number): Binding | undefined {
    const list = this.bindingsByFileAndName.get(path.resolve(file))?.get(name);
    if (!list) return undefined;
    let found: Binding | undefined;
    for (const b of list) {
      if (b.location.line > line) break;
      if (visibleAt(b.location, { line, column })) found = b;
    }
    return found;
  }

  /** Every binding in a file, in source order (for inline values). */
  bindingsInFile(file: string): Binding[] {
    const byName = this.bindingsByFileAndName.get(path.resolve(file));
    if (!byName) return [];
    return [...byName.values()].flat().sort((x, y) => sourceOrder(x.location, y.location));
  }
}
