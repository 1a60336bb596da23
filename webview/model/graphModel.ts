/**
 * The snapshot indexed for the page: nodes by id, edges per node in both directions, the backward
 * steps in execution order and the scope instances. Built once per `setGraph`; read-only afterwards.
 */
import type { GraphEdge, GraphNode } from '../../src/protocol/snapshot';
import { readScopeInfo, type ScopeInfo, type ViewSnapshot } from './scopeInfo';
import { buildScopeTree, type ScopeTree } from './scopes';

export class GraphModel {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly edgeIndexOf: ReadonlyMap<string, number>;
  /** Source / target node index per edge. */
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  /** Per node: edges whose target it is (its inputs), ordered by inputIndex. */
  readonly inEdges: readonly number[][];
  /** Per node: edges whose source it is (the ops consuming it). */
  readonly outEdges: readonly number[][];
  readonly roots: readonly number[];
  /** Node indices in the order autograd executed them. */
  readonly backwardSteps: readonly number[];
  readonly scopes: ScopeTree;
  private readonly scopeInfos: ReadonlyMap<string, ScopeInfo>;

  constructor(readonly snapshot: ViewSnapshot) {
    this.nodes = snapshot.nodes;
    this.edges = snapshot.edges;
    const indexOf = new Map<string, number>();
    snapshot.nodes.forEach((n, i) => indexOf.set(n.id, i));
    this.indexOf = indexOf;
    const edgeIndexOf = new Map<string, number>();
    const n = snapshot.nodes.length;
    const m = snapshot.edges.length;
    this.edgeSource = new Int32Array(m);
    this.edgeTarget = new Int32Array(m);
    const inEdges: number[][] = Array.from({ length: n }, () => []);
    const outEdges: number[][] = Array.from({ length: n }, () => []);
    snapshot.edges.forEach((e, i) => {
      edgeIndexOf.set(e.id, i);
      // The shared validator (checkSnapshotIntegrity) guarantees both ends exist.
      const s = indexOf.get(e.source) ?? 0;
      const t = indexOf.get(e.target) ?? 0;
      this.edgeSource[i] = s;
      this.edgeTarget[i] = t;
      outEdges[s].push(i);
      inEdges[t].push(i);
    });
    for (const list of inEdges) if (list.length > 1) list.sort((a, b) => snapshot.edges[a].inputIndex - snapshot.edges[b].inputIndex);
    this.edgeIndexOf = edgeIndexOf;
    this.inEdges = inEdges;
    this.outEdges = outEdges;
    const roots = snapshot.roots.map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined);
    // A snapshot may flag roots on the nodes only; honour both.
    snapshot.nodes.forEach((node, i) => {
      if (node.isRoot && !roots.includes(i)) roots.push(i);
    });
    this.roots = roots;
    this.backwardSteps = snapshot.nodes
      .map((node, i) => ({ i, order: node.backwardOrder }))
      .filter((s): s is { i: number; order: number } => s.order !== null)
      .sort((a, b) => a.order - b.order || a.i - b.i)
      .map((s) => s.i);
    this.scopes = buildScopeTree(snapshot.nodes);
    this.scopeInfos = readScopeInfo(snapshot);
  }

  node(id: string): GraphNode | undefined {
    const i = this.indexOf.get(id);
    return i === undefined ? undefined : this.nodes[i];
  }

  scopeInfo(name: string): ScopeInfo | undefined {
    return this.scopeInfos.get(name);
  }

  /** The display name of a node's tensor: the variable when known, else the label. */
  displayName(i: number): string {
    const node = this.nodes[i];
    return node.kind === 'op' ? node.label : (node.varName ?? node.label);
  }
}
