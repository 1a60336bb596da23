/**
 * Scope instances: each call of a composite op or nn.Module becomes one collapsible box.
 *
 * NOTE [Scope instances]: a node's `scope` holds names only (`['Sequential', 'Linear']`), so two calls of
 * the same module are told apart by time: op nodes are in execution order, and a new instance starts
 * whenever the path stops matching the open one. Two back-to-back calls with nothing in between and
 * identical names merge; the capture avoids that by naming instances (`fc1`, `Linear#2`).
 * Keys (`Sequential#0/Linear#1`) are stable across re-runs of the same script, so the page keeps
 * which boxes the user opened.
 */
import type { GraphNode } from '../../src/protocol/snapshot';

export interface ScopeInstance {
  /** Stable id: names with their occurrence under the parent, joined with '/'. */
  key: string;
  /** The scope's name as the capture recorded it (`Linear[0]#2`: the second call in an iteration). */
  name: string;
  /** The name shown to people: without the capture's per-call suffix (`Linear[0]`). */
  label: string;
  /** 0 for outermost scopes. */
  depth: number;
  parent: ScopeInstance | null;
  children: ScopeInstance[];
  /** Nodes whose innermost scope is this instance, in snapshot order. */
  members: number[];
  /** Smallest node index inside (members or nested): orders boxes like their first node. */
  firstNode: number;
  /** All nodes inside, nested ones included. */
  size: number;
}

export interface ScopeTree {
  roots: ScopeInstance[];
  byKey: Map<string, ScopeInstance>;
  /** Innermost instance per node (null: top level). */
  nodeScope: (ScopeInstance | null)[];
  /** Top-level items in snapshot order: nodes outside every scope, interleaved with outermost instances. */
  topLevel: ({ kind: 'node'; node: number } | { kind: 'scope'; scope: ScopeInstance })[];
}

export function buildScopeTree(nodes: readonly GraphNode[]): ScopeTree {
  const roots: ScopeInstance[] = [];
  const byKey = new Map<string, ScopeInstance>();
  const nodeScope: (ScopeInstance | null)[] = new Array<ScopeInstance | null>(nodes.length).fill(null);
  const topLevel: ScopeTree['topLevel'] = [];
  /** Occurrence counters per parent key (root: ''), for stable keys. */
  const occurrences = new Map<string, Map<string, number>>();
  let open: ScopeInstance[] = [];

  const openInstance = (name: string, parent: ScopeInstance | null, nodeIndex: number): ScopeInstance => {
    const parentKey = parent?.key ?? '';
    let counts = occurrences.get(parentKey);
    if (!counts) occurrences.set(parentKey, (counts = new Map()));
    const k = counts.get(name) ?? 0;
    counts.set(name, k + 1);
    const inst: ScopeInstance = {
      key: `${parentKey ? `${parentKey}/` : ''}${name}#${k}`,
      name,
      label: scopeLabel(name),
      depth: parent ? parent.depth + 1 : 0,
      parent,
      children: [],
      members: [],
      firstNode: nodeIndex,
      size: 0,
    };
    if (parent) parent.children.push(inst);
    else {
      roots.push(inst);
      topLevel.push({ kind: 'scope', scope: inst });
    }
    byKey.set(inst.key, inst);
    return inst;
  };

  for (let i = 0; i < nodes.length; i++) {
    const path = nodes[i].scope;
    if (path.length === 0) {
      // NOTE: only ops close scopes: leaves and constants made outside a module (its parameters) are
      // recorded wherever they were created, which says nothing about the calls around them.
      if (nodes[i].kind === 'op') open = [];
      topLevel.push({ kind: 'node', node: i });
      continue;
    }
    let common = 0;
    while (common < open.length && common < path.length && open[common].name === path[common]) common++;
    if (common < path.length || open.length > path.length) {
      const next = open.slice(0, common);
      for (let d = common; d < path.length; d++) next.push(openInstance(path[d], d > 0 ? next[d - 1] : null, i));
      open = next;
    }
    const inner = open[path.length - 1];
    inner.members.push(i);
    nodeScope[i] = inner;
  }

  const finish = (s: ScopeInstance): number => {
    let size = s.members.length;
    let first = s.members.length ? s.members[0] : Number.MAX_SAFE_INTEGER;
    for (const c of s.children) {
      size += finish(c);
      first = Math.min(first, c.firstNode);
    }
    s.size = size;
    s.firstNode = first;
    return size;
  };
  roots.forEach(finish);
  return { roots, byKey, nodeScope, topLevel };
}

/** A scope name without the `#n` the capture adds to the n-th call of a scope within an iteration. */
export function scopeLabel(name: string): string {
  return name.replace(/#\d+$/, '');
}

/** Outermost first: the instance chain of a node. */
export function scopeChain(inner: ScopeInstance | null): ScopeInstance[] {
  const chain: ScopeInstance[] = [];
  for (let s = inner; s; s = s.parent) chain.push(s);
  return chain.reverse();
}

/** Every node inside an instance (nested ones included), in snapshot order. */
export function scopeNodes(s: ScopeInstance): number[] {
  const out: number[] = [];
  const walk = (x: ScopeInstance): void => {
    out.push(...x.members);
    x.children.forEach(walk);
  };
  walk(s);
  return out.sort((a, b) => a - b);
}
