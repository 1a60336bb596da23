/**
 * The runner's CaptureListener: turns the library's op and backward notifications into graph
 * nodes with source locations, values, gradients, scopes and variable names, within fixed memory
 * (see NOTE [Capture memory bound] in limits.ts).
 *
 * NOTE [One graph per training loop]
 * Each backward pass ends an iteration. Nodes are keyed by (call site, occurrence of that site in
 * the iteration) — and must agree on the op — so iteration k's `pred = x.matmul(w)` lands on the
 * node iteration k-1's did: the graph keeps one copy of the loop's structure holding the latest
 * values, and IterationTracker keeps the per-iteration series and frames.
 */
import { AccumulateGrad, type Node } from '../../lib/autograd/node';
import type { BackwardNodeEvent, CaptureListener, OpEvent } from '../../lib/capture/hooks';
import { OpNode } from '../../lib/ops/registry';
import { Module } from '../../lib/nn/module';
import { Parameter } from '../../lib/nn/parameter';
import { Tensor } from '../../lib/tensor';
import type { BindingSite, CaptureLimits, CaptureStats } from '../../protocol/messages';
import type { GraphSnapshot, SourceLocation } from '../../protocol/snapshot';
import { IterationTracker } from './iterations';
import { MAX_CAPTURED_VALUES } from './limits';
import { NodeRecord, RecordHandle } from './nodeRecord';
import { ScopeTracker, boundedName, type ScopeKind } from './scopes';
import { buildSnapshot } from './snapshotBuilder';
import { copyTensor, CopyBudget, type TensorCopy } from './tensorCopy';

/** Where a tensor that is not (yet) a graph node came from: its creating op and call. */
interface Origin {
  op: string;
  site: number;
  /** Structural key of the creation (see NOTE [One graph per training loop]). */
  key: number;
  attrs: Readonly<Record<string, unknown>> | null;
}

const OCCURRENCE_BITS = 2 ** 21;

export interface CaptureOptions {
  file: string;
  limits: CaptureLimits;
  sites: readonly SourceLocation[];
  bindings: readonly BindingSite[];
  /** `[0]`: the call site executing now (see NOTE [Call-site register]). */
  activity: Int32Array;
}

interface BindingState {
  count: number;
  last: Tensor | null;
  /** The module last bound here (`const model = nn.Sequential(...)`), for parameter names. */
  module: object | null;
  /** When `module` was bound (the latest binding of a module names it). */
  moduleSeq: number;
}

/** Where a module's member (Parameter or sub-module) is registered. */
interface Membership {
  owner: object;
  name: string;
}

/** Deeper nesting than this is not named (a guard against cycles of modules holding each other). */
const MAX_MODULE_DEPTH = 64;

export class GraphCapture implements CaptureListener {
  private readonly limits: CaptureLimits;
  private readonly activity: Int32Array;
  readonly budget = new CopyBudget(MAX_CAPTURED_VALUES);
  readonly iterations: IterationTracker;

  /**
   * Graph nodes kept, in CLOCK order from `hand` (oldest first). Evicted records are skipped
   * lazily; the array is compacted when the hand has passed half of it.
   */
  private ring: NodeRecord[] = [];
  private hand = 0;
  private activeCount = 0;
  private readonly byKey = new Map<number, NodeRecord>();
  /** Leaves and constants (ops find their record through their grad_fn's `trace`). */
  private readonly tensorRecords = new WeakMap<Tensor, NodeRecord>();
  private readonly origins = new WeakMap<Tensor, Origin>();
  private nextSeq = 0;
  private uniqueKeys = 0;

  /** Current iteration (number of completed outermost backward passes). */
  private epoch = 0;
  /** Per site: occurrences in the current epoch, valid when `occurrenceEpoch` matches. */
  private occurrences: Int32Array;
  private occurrenceEpoch: Int32Array;

  readonly scopes = new ScopeTracker();
  /** Parameters and sub-modules by the module holding them (see `parameterNamer`). */
  private readonly members = new WeakMap<object, Membership>();
  private bindSeq = 0;
  private backwardDepth = 0;
  /**
   * Copies made in the current backward pass, by tensor: the gradient a node receives is usually
   * the very tensor its consumer sent along the edge (and AddBackward sends one tensor to both
   * inputs), so each is copied once.
   */
  private readonly passCopies = new Map<Tensor, TensorCopy>();
  private backwardTick = 0;
  readonly roots: string[] = [];
  private readonly bindingStates: BindingState[];

  droppedNodes = 0;
  readonly stats: CaptureStats = { ops: 0, backwardPasses: 0, nodesCreated: 0 };

  constructor(readonly options: CaptureOptions) {
    this.limits = options.limits;
    this.activity = options.activity;
    this.iterations = new IterationTracker(this.limits, this.budget);
    const sites = options.sites.length + 1;
    this.occurrences = new Int32Array(sites);
    this.occurrenceEpoch = new Int32Array(sites).fill(-1);
    this.bindingStates = options.bindings.map(() => ({ count: 0, last: null, module: null, moduleSeq: 0 }));
  }

  // ------------------------------------------------------------------------------ forward

  onOp(e: OpEvent): void {
    this.stats.ops++;
    // Gradient arithmetic inside backward() (without createGraph) is not part of the graph.
    if (e.node === null && this.backwardDepth > 0) return;
    const site = this.activity[0];
    const key = this.nextKey(site);
    if (e.node === null) {
      // An in-place write outside autograd (`w.sub_(lr * g)` under noGrad) does not make a new tensor.
      if (e.inputs[0] === e.outputs[0] && this.origins.has(e.outputs[0])) return;
      const origin: Origin = { op: e.op, site, key, attrs: e.attrs };
      for (const out of e.outputs) this.origins.set(out, origin);
      return;
    }
    const node = e.node;
    const out = e.outputs[0];
    const inplace = e.inputs[0] === out;
    let r = this.byKey.get(key);
    if (r === undefined || r.evicted || r.kind !== 'op' || r.op !== e.op) {
      r = this.create('op', node.name, e.op, site, key);
    } else {
      r.referenced = true;
      r.label = node.name;
    }
    const inputs = e.inputs;
    const n = inputs.length;
    if (r.inputs.length !== n) r.inputs = new Array<NodeRecord | null>(n).fill(null);
    r.scalarIndex = -1;
    r.moreScalars = null;
    for (let i = 0; i < n; i++) {
      const t = inputs[i];
      if (t._wrappedNumber) {
        // A Python number (`x.mul(2)`): an attribute of the op, not a node of the graph.
        if (r.scalarIndex < 0) {
          r.scalarIndex = i;
          r.scalarValue = t._get(0);
        } else {
          (r.moreScalars ??= new Map()).set(i, t._get(0));
        }
        r.inputs[i] = null;
      } else if (inplace && t === out) {
        // `y.add_(1)`: y's producer is the grad_fn the op's edge still points to, not the op.
        r.inputs[i] = this.producerOfEdge(node.next[i] ?? null, site);
      } else {
        r.inputs[i] = this.producerOf(t, site);
      }
    }
    node.trace = r.handle;
    this.setValue(r, out);
    r.def = node instanceof OpNode ? (node.def as OpNode<unknown>['def']) : null;
    r.attrs = e.attrs;
    r.scope = this.scopes.current();
    for (let i = 1; i < e.outputs.length; i++) {
      // Later outputs of multi-output ops (split, max with indices) stand for the same node.
      const o = e.outputs[i];
      if (o._gradFn === node) this.tensorRecords.set(o, r);
    }
    if (this.activeCount > this.limits.maxNodes) this.evictIfNeeded();
  }

  onScopeEnter(name: string, kind: ScopeKind, gradFn: string | null = null): void {
    this.scopes.enter(name, kind === 'composite' ? 'composite' : 'module', kind === 'composite' ? gradFn : null);
  }

  onScopeExit(): void {
    this.scopes.exit();
  }

  /** A parameter's origin is the user's call that made it (`nn.Linear(2, 16)`, `nn.Parameter(...)`). */
  onParameterCreated(param: Tensor): void {
    const site = this.activity[0];
    this.origins.set(param, { op: 'Parameter', site, key: this.nextKey(site), attrs: null });
  }

  onMemberRegistered(owner: object, name: string, member: object): void {
    this.members.set(member, { owner, name: boundedName(String(name)) });
  }

  /** `__gs$bind`: a value was bound to binding site `id`. */
  bind(value: unknown, id: number): void {
    if (!(value instanceof Tensor)) {
      if (value instanceof Module) this.bindModule(value, id);
      return;
    }
    const state = this.bindingStates[id];
    if (state === undefined) return;
    state.count++;
    state.last = value;
    const name = this.options.bindings[id].name;
    const r = this.recordOf(value);
    if (r !== null && r.varName === null) r.varName = name;
    // A leaf or constant may meet its first op later: the name waits on the tensor. (Not for op
    // outputs, which have their node already: naming them allocated per binding in a loop.)
    if (value._gradFn === null && value.name === undefined) value.name = name;
  }

  private bindModule(module: object, id: number): void {
    const state = this.bindingStates[id];
    if (state === undefined) return;
    state.module = module;
    state.moduleSeq = ++this.bindSeq;
  }

  /**
   * Names parameters as PyTorch does (`named_parameters()`: `0.weight`, `fc1.bias`, `weight` for a
   * bare Linear), prefixed by the variable of the outermost module the script bound
   * (`model.0.weight`); null for a parameter no module holds. Made once per snapshot.
   */
  parameterNamer(): (param: Tensor) => string | null {
    const boundAs = new Map<object, { name: string; seq: number }>();
    this.bindingStates.forEach((s, i) => {
      if (s.module === null) return;
      const seen = boundAs.get(s.module);
      if (seen === undefined || seen.seq < s.moduleSeq) boundAs.set(s.module, { name: this.options.bindings[i].name, seq: s.moduleSeq });
    });
    return (param) => {
      let m = this.members.get(param);
      if (m === undefined) return null;
      const path = [m.name];
      let named: string | null = null;
      for (let depth = 0; depth < MAX_MODULE_DEPTH; depth++) {
        const bound = boundAs.get(m.owner);
        if (bound !== undefined) named = `${bound.name}.${path.join('.')}`;
        const up = this.members.get(m.owner);
        if (up === undefined) break;
        m = up;
        path.unshift(m.name);
      }
      return boundedName(named ?? path.join('.'));
    };
  }

  // ------------------------------------------------------------------------------ backward

  onBackwardStart(roots: readonly Tensor[]): void {
    this.backwardDepth++;
    if (this.backwardDepth > 1) return;
    this.stats.backwardPasses++;
    this.budget.currentPass = this.stats.backwardPasses;
    for (const t of roots) {
      const r = this.producerOf(t, this.activity[0]);
      r.isRoot = true;
      const at = this.roots.indexOf(r.id);
      if (at >= 0) this.roots.splice(at, 1);
      this.roots.push(r.id);
      if (this.roots.length > 1000) this.roots.shift();
    }
  }

  onBackwardNode(e: BackwardNodeEvent): void {
    const node = e.node;
    if (node instanceof AccumulateGrad) {
      const r = this.tensorRecords.get(node.variable);
      if (r === undefined || r.evicted) return;
      // NOTE: `.grad` is usually the very gradient that flowed in (the engine hands its sum over);
      // it accumulates in place over passes, so a pass copy is shared only at the same version.
      this.setGrad(r, node.variable._grad, false);
      r.backwardTick = this.backwardTick++;
      return;
    }
    const r = recordOfNode(node);
    if (r === null) return;
    this.setGrad(r, e.gradOutputs[0] ?? null, true);
    r.backwardTick = this.backwardTick++;
    const grads = e.gradInputs;
    const old = r.inputGrads;
    const n = grads.length;
    if (old !== null && old.length === n) {
      // In place: each slot holds its new copy before letting the old one go (they may be one).
      for (let j = 0; j < n; j++) {
        const g = grads[j];
        const c = g ? this.passCopy(g) : null;
        this.budget.hold(c);
        this.budget.release(old[j]);
        old[j] = c;
      }
      return;
    }
    const next = new Array<TensorCopy | null>(n);
    for (let j = 0; j < n; j++) {
      const g = grads[j];
      next[j] = g ? this.passCopy(g) : null;
      this.budget.hold(next[j]);
    }
    if (old) for (const c of old) this.budget.release(c);
    r.inputGrads = next;
  }

  onBackwardEnd(): void {
    this.backwardDepth--;
    if (this.backwardDepth > 0) return;
    this.passCopies.clear();
    this.budget.currentPass = -1;
    const touched: NodeRecord[] = [];
    for (let i = this.hand; i < this.ring.length; i++) {
      const r = this.ring[i];
      if (!r.evicted && (r.epoch === this.epoch || r.gradEpoch === this.epoch)) touched.push(r);
    }
    this.iterations.endIteration(this.epoch, touched);
    this.epoch++;
    this.scopes.endIteration();
  }

  // ------------------------------------------------------------------------------ records

  /** The next structural key of `site` in this epoch. */
  private nextKey(site: number): number {
    const slot = site + 1;
    if (slot <= 0 || slot >= this.occurrences.length) return -(++this.uniqueKeys);
    if (this.occurrenceEpoch[slot] !== this.epoch) {
      this.occurrenceEpoch[slot] = this.epoch;
      this.occurrences[slot] = 0;
    }
    const occ = this.occurrences[slot]++;
    return occ < OCCURRENCE_BITS ? slot * OCCURRENCE_BITS + occ : -(++this.uniqueKeys);
  }

  private create(kind: NodeRecord['kind'], label: string, op: string, site: number, key: number | null): NodeRecord {
    const r = new NodeRecord(this.nextSeq++, kind, label, op, site, site >= 0 ? this.options.sites[site] : undefined);
    this.stats.nodesCreated++;
    if (key !== null && key >= 0) {
      r.key = key;
      this.byKey.set(key, r);
    }
    this.ring.push(r);
    this.activeCount++;
    return r;
  }

  private copy(t: Tensor): TensorCopy {
    return copyTensor(t, this.budget.allowance(this.limits.maxValuesPerTensor), this.budget.pool);
  }

  private setValue(r: NodeRecord, t: Tensor): void {
    const c = this.copy(t);
    this.budget.hold(c);
    this.budget.release(r.value);
    r.value = c;
    r.epoch = this.epoch;
  }

  /** A leaf's or constant's value, remembering which tensor it is a copy of. */
  private setTensorValue(r: NodeRecord, t: Tensor): void {
    this.setValue(r, t);
    r.valueSource = t.id;
  }

  /**
   * A copy of a gradient, shared within the pass: the gradient a node receives is usually the
   * very tensor its consumer sent along the edge (and AddBackward sends one tensor to both
   * inputs), and the engine never writes a gradient it has passed on.
   */
  private passCopy(g: Tensor): TensorCopy {
    let c = this.passCopies.get(g);
    if (c === undefined) {
      c = this.copy(g);
      c.pass = this.budget.currentPass;
      this.passCopies.set(g, c);
    }
    return c;
  }

  /** The pass's copy of `t` if `t` has not been written since it was taken. */
  private unchangedPassCopy(t: Tensor): TensorCopy | null {
    const c = this.passCopies.get(t);
    return c !== undefined && c.sourceVersion === t._box.version ? c : null;
  }

  private setGrad(r: NodeRecord, g: Tensor | null, shared: boolean): void {
    const c = g === null ? null : shared ? this.passCopy(g) : this.unchangedPassCopy(g) ?? this.copy(g);
    this.budget.hold(c);
    this.budget.release(r.grad);
    r.grad = c;
    r.gradEpoch = this.epoch;
  }

  /** The node standing for whatever a grad_fn edge leads to (the producer before an in-place op). */
  private producerOfEdge(edge: { node: Node } | null, site: number): NodeRecord | null {
    if (edge === null) return null;
    if (edge.node instanceof AccumulateGrad) return this.tensorRecord(edge.node.variable, site);
    return recordOfNode(edge.node);
  }

  /** The graph node standing for tensor `t` as an op input: its producer, or a leaf/constant. */
  private producerOf(t: Tensor, site: number): NodeRecord {
    const fn = t._gradFn;
    if (fn !== null) {
      const r = recordOfNode(fn);
      if (r !== null) {
        r.referenced = true;
        return r;
      }
      return this.foreignNodeRecord(fn, t, site);
    }
    return this.tensorRecord(t, site);
  }

  /** A leaf (requires grad) or constant: one node per tensor, reused across iterations by key. */
  private tensorRecord(input: Tensor, site: number): NodeRecord {
    let t = input;
    // An internal view made by a composite op (matmul's unsqueeze of a 1-D input) stands for the
    // tensor the user passed: show `x`, not an anonymous reshaped copy of it.
    if (t._base !== null && t.name === undefined && t._gradFn === null && this.origins.get(t)?.site === site) t = t._base;
    let r = this.tensorRecords.get(t);
    if (r === undefined || r.evicted) {
      const origin = this.origins.get(t);
      const kind = t._requiresGrad ? 'leaf' : 'constant';
      const key = origin && origin.key >= 0 ? origin.key : null;
      const reuse = key !== null ? this.byKey.get(key) : undefined;
      if (reuse !== undefined && !reuse.evicted && reuse.kind === kind) {
        r = reuse;
      } else {
        r = this.create(kind, 'tensor', origin?.op ?? '', origin?.site ?? -1, key);
        r.attrs = origin?.attrs ?? null;
      }
      if (typeof t.name === 'string' && r.varName === null) r.varName = boundedName(t.name);
      if (t instanceof Parameter) r.parameter = new WeakRef(t);
      this.tensorRecords.set(t, r);
      this.setTensorValue(r, t);
    } else if (r.epoch !== this.epoch) {
      // Parameters change between iterations (optimizer steps): keep this iteration's value. A
      // tensor not written since (the data, the targets) keeps its copy: copying a big constant
      // every iteration was most of what capturing a training loop cost.
      if (r.valueSource === t.id && r.value !== null && r.value.sourceVersion === t._box.version) r.epoch = this.epoch;
      else this.setTensorValue(r, t);
    }
    r.kind = t._requiresGrad ? 'leaf' : 'constant';
    r.referenced = true;
    return r;
  }

  /**
   * A grad_fn the library made without an op event (CopySlices after an in-place op through a
   * view): a node of its own, wired to its next functions' nodes.
   */
  private foreignNodeRecord(fn: Node, t: Tensor, site: number): NodeRecord {
    const r = this.create('op', fn.name, '', site, null);
    if (fn.trace === null) fn.trace = r.handle;
    this.setValue(r, t);
    r.inputs = fn.next.map((edge) => {
      if (edge === null) return null;
      if (edge.node instanceof AccumulateGrad) return this.tensorRecord(edge.node.variable, site);
      return recordOfNode(edge.node);
    });
    r.scope = this.scopes.current();
    return r;
  }

  /** The node a tensor is shown as, if it has one. */
  recordOf(t: Tensor): NodeRecord | null {
    const fn = t._gradFn;
    if (fn !== null && t._outputNr === 0) return recordOfNode(fn);
    const r = this.tensorRecords.get(t);
    return r !== undefined && !r.evicted ? r : null;
  }

  /** A node for a bound tensor that never met an op that records (shown on its own). */
  recordForBinding(t: Tensor): NodeRecord {
    const existing = this.recordOf(t);
    if (existing !== null) return existing;
    if (t._gradFn !== null) return this.producerOf(t, -1);
    return this.tensorRecord(t, -1);
  }

  /** CLOCK: the oldest node goes, unless used since the hand last passed (then it gets another round). */
  private evictIfNeeded(): void {
    const max = this.limits.maxNodes;
    let guard = this.ring.length * 2 + 16;
    while (this.activeCount > max && this.hand < this.ring.length && guard-- > 0) {
      const oldest = this.ring[this.hand++];
      if (oldest.evicted) continue;
      if (oldest.referenced) {
        oldest.referenced = false;
        this.ring.push(oldest);
        continue;
      }
      this.evict(oldest);
    }
    if (this.hand > 1024 && this.hand * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.hand).filter((r) => !r.evicted);
      this.hand = 0;
    }
  }

  private evict(r: NodeRecord): void {
    r.evicted = true;
    r.handle.record = null;
    this.activeCount--;
    if (r.key !== null && this.byKey.get(r.key) === r) this.byKey.delete(r.key);
    this.budget.release(r.value);
    this.budget.release(r.grad);
    if (r.inputGrads) for (const c of r.inputGrads) this.budget.release(c);
    r.value = null;
    r.grad = null;
    r.inputGrads = null;
    r.inputs.length = 0;
    r.attrs = null;
    r.def = null;
    r.parameter = null;
    r.valueSource = -1;
    this.iterations.forget(r);
    this.droppedNodes++;
  }

  // ------------------------------------------------------------------------------ output

  /** Kept nodes in creation order. */
  records(): NodeRecord[] {
    const kept = new Set<NodeRecord>();
    for (let i = this.hand; i < this.ring.length; i++) if (!this.ring[i].evicted) kept.add(this.ring[i]);
    return [...kept].sort((a, b) => a.seq - b.seq);
  }

  bindingStatesForSnapshot(): readonly BindingState[] {
    return this.bindingStates;
  }

  snapshot(): GraphSnapshot {
    return buildSnapshot(this);
  }
}

/** The record of a grad_fn, found through the trace the capture gave it. */
function recordOfNode(node: Node): NodeRecord | null {
  const trace = node.trace;
  return trace instanceof RecordHandle ? trace.record : null;
}
