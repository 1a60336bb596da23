/**
 * Turns the capture's records into the GraphSnapshot contract, within the snapshot's value budget
 * (`maxSnapshotValues`): node values first, then gradients, saved tensors and edge gradients,
 * then the iteration frames; past the budget, tensors keep their statistics and printed text but
 * no values (`truncated: true`).
 */
import type { Binding, GraphEdge, GraphNode, GraphSnapshot, ScopeInfo, TensorData } from '../../protocol/snapshot';
import { SNAPSHOT_VERSION } from '../../protocol/snapshot';
import type { Tensor } from '../../lib/tensor';
import type { GraphCapture } from './graphCapture';
import type { NodeRecord } from './nodeRecord';
import type { ScopePath } from './scopes';
import { tensorDataOf, type TensorCopy } from './tensorCopy';

const EMPTY_TENSOR: TensorData = { shape: [0], dtype: 'float32', values: [], truncated: false, text: 'tensor([])', stats: null };

/** Turns copies into TensorData within the snapshot's value budget. */
class ValueBudget {
  constructor(private left: number, private readonly perTensor: number) {}

  convert = (c: TensorCopy): TensorData => {
    const data = tensorDataOf(c, Math.min(this.perTensor, Math.max(0, this.left)));
    this.left -= data.values.length;
    return data;
  };
}

export function buildSnapshot(capture: GraphCapture): GraphSnapshot {
  const { limits, sites, bindings: bindingSites, file } = capture.options;
  const budget = new ValueBudget(limits.maxSnapshotValues, limits.maxValuesPerTensor);

  // Bound tensors that never met a recording op still get a node (hover needs their value).
  const states = capture.bindingStatesForSnapshot();
  const boundRecords = states.map((s) => (s.last !== null ? capture.recordForBinding(s.last) : null));

  const records = capture.records();
  const kept = new Set(records.map((r) => r.id));
  // Backward order: ranks of the global execution ticks, so it reads 0, 1, 2 ... across passes.
  const executed = records.filter((r) => r.backwardTick >= 0).sort((a, b) => a.backwardTick - b.backwardTick);
  const order = new Map<NodeRecord, number>(executed.map((r, i) => [r, i]));

  const parameterName = capture.parameterNamer();
  const nodes: GraphNode[] = records.map((r) => ({
    id: r.id,
    kind: r.kind,
    label: r.kind === 'op' ? r.label : tensorLabel(parameterName, r),
    op: r.op === '' ? null : r.op,
    varName: r.varName,
    location: r.site >= 0 && r.site < sites.length ? sites[r.site] : null,
    tensor: r.value ? budget.convert(r.value) : EMPTY_TENSOR,
    grad: null,
    requiresGrad: r.kind !== 'constant',
    isLeaf: r.kind !== 'op',
    isRoot: r.isRoot,
    saved: [],
    scope: r.scope ? [...r.scope.names] : [],
    backwardOrder: order.get(r) ?? null,
    rule: r.def?.doc?.rule ?? null,
    attrs: attrsOf(r),
  }));
  records.forEach((r, i) => { if (r.grad) nodes[i].grad = budget.convert(r.grad); });
  records.forEach((r, i) => { nodes[i].saved = savedOf(r, budget.convert); });

  const edges: GraphEdge[] = [];
  for (const r of records) {
    r.inputs.forEach((p, j) => {
      if (p === null || !kept.has(p.id)) return;
      const g = r.inputGrads?.[j] ?? null;
      edges.push({ id: `${p.id}->${r.id}:${j}`, source: p.id, target: r.id, inputIndex: j, grad: g ? budget.convert(g) : null });
    });
  }

  const bindings: Binding[] = [];
  states.forEach((s, i) => {
    const r = boundRecords[i];
    if (r === null || s.count === 0 || !kept.has(r.id)) return;
    bindings.push({ name: bindingSites[i].name, location: bindingSites[i].location, nodeId: r.id, count: s.count });
  });

  const iterations = capture.iterations.count > 1
    ? capture.iterations.toData((r) => kept.has(r.id), budget.convert)
    : null;

  const droppedIterations = iterations ? capture.iterations.droppedFrames : 0;
  const reasons: string[] = [];
  if (capture.droppedNodes > 0) {
    reasons.push(`kept the ${limits.maxNodes} most recently used of ${capture.stats.nodesCreated} nodes (maxNodes)`);
  }
  if (droppedIterations > 0 && iterations) {
    reasons.push(`full values kept for the last ${iterations.frames.length} of ${iterations.count} iterations (iterationWindow)`);
  }
  return {
    version: SNAPSHOT_VERSION,
    file,
    nodes,
    edges,
    bindings,
    roots: capture.roots.filter((id) => kept.has(id)),
    iterations,
    scopeInfo: scopeInfoOf(records),
    truncation: reasons.length > 0
      ? { droppedNodes: capture.droppedNodes, droppedIterations, reason: reasons.join('; ') }
      : null,
  };
}

/**
 * Tensors the op saved for backward, named as torchviz does (`self`/`other` are positional here:
 * `input 0`, `input 1`, `result`). They are the op's inputs and output, so their copies are the
 * producers' values and the node's own.
 */
function savedOf(r: NodeRecord, convert: (c: TensorCopy) => TensorData): GraphNode['saved'] {
  const def = r.def;
  if (def === null) return [];
  const out: GraphNode['saved'] = [];
  for (const i of def.savesInputs ?? []) {
    const c = r.inputs[i]?.value;
    if (c) out.push({ name: `input ${i}`, tensor: convert(c) });
  }
  for (const i of def.savesOutputs ?? []) {
    if (i === 0 && r.value) out.push({ name: 'result', tensor: convert(r.value) });
  }
  return out;
}

/** The op's attributes plus the Python numbers it took (`x.mul(2)` → `{ "input 1": 2 }`). */
function attrsOf(r: NodeRecord): Record<string, unknown> | null {
  const scalars = r.scalars();
  if (r.attrs === null && scalars === null) return null;
  const out: Record<string, unknown> = { ...r.attrs };
  scalars?.forEach((v, i) => { out[`input ${i}`] = v; });
  return out;
}

/** A leaf's or constant's label: a parameter's PyTorch name (`model.0.weight`), else its variable. */
function tensorLabel(parameterName: (t: Tensor) => string | null, r: NodeRecord): string {
  const t = r.parameter?.deref();
  const param = t !== undefined ? parameterName(t) : null;
  return param ?? r.varName ?? 'tensor';
}

/** What each scope name of the kept nodes is (see NOTE [Scope names per call] in scopes.ts). */
function scopeInfoOf(records: readonly NodeRecord[]): Record<string, ScopeInfo> {
  // NOTE: a null-prototype object: scope names come from the script (`__proto__` is a fine class name).
  const out = Object.create(null) as Record<string, ScopeInfo>;
  const seen = new Set<ScopePath>();
  for (const r of records) {
    for (let p: ScopePath | null = r.scope; p !== null && p.kind !== null && !seen.has(p); p = p.parent) {
      seen.add(p);
      const name = p.names[p.names.length - 1];
      const previous = out[name];
      // Calls in different iterations share names (`Sequential` in the loop and after it): the
      // same kind; a fused backward reported by either is kept.
      if (previous === undefined || previous.gradFn === null) out[name] = { kind: p.kind, gradFn: p.gradFn };
    }
  }
  return out;
}
