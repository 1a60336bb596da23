import { RuntimeError } from '../errors';
import { captureListener, type CaptureListener } from '../capture/hooks';
import { sameShape } from '../shape';
import type { Tensor } from '../tensor';
import { isAnomalyEnabled, isGradEnabled, setGradEnabledRaw } from './gradMode';
import { AccumulateGrad, gradientEdge, Node, type Edge } from './node';

/**
 * Tensor operations the engine needs, provided by the op modules at load time.
 * NOTE: injected rather than imported because the op modules import the engine (backward()).
 */
export interface EngineOps {
  onesLike(t: Tensor): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  /** `a += b` in place, without recording (b has a's shape); bumps a's version. */
  addInPlace(a: Tensor, b: Tensor): void;
  /** Sum `grad` down to `shape` (undoing broadcasting). */
  sumTo(grad: Tensor, shape: readonly number[]): Tensor;
  cast(t: Tensor, like: Tensor | { dtype: Tensor['dtype'] }): Tensor;
  /** A copy that owns its storage, detached. */
  cloneDetached(t: Tensor): Tensor;
  detach(t: Tensor): Tensor;
  hasNaN(t: Tensor): boolean;
}

let ops: EngineOps | null = null;
export function _setEngineOps(o: EngineOps): void {
  ops = o;
}

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

/** `torch.autograd.backward(tensors, gradTensors)`: accumulates into the leaves' `.grad`. */
export function backward(tensors: readonly Tensor[], grads: readonly (Tensor | null | undefined)[],
  options: BackwardOptions = {}): void {
  const rootGrads = makeRootGrads(tensors, grads, options.createGraph ?? false);
  execute(tensors, rootGrads, {
    retainGraph: options.retainGraph ?? options.createGraph ?? false,
    createGraph: options.createGraph ?? false,
    targets: null,
    kind: 'backward',
  });
}

export interface GradOptions extends BackwardOptions {
  allowUnused?: boolean;
}

/** `torch.autograd.grad(outputs, inputs, grad_outputs)`: returns gradients, leaves `.grad` alone. */
export function grad(outputs: readonly Tensor[], inputs: readonly Tensor[],
  gradOutputs: readonly (Tensor | null | undefined)[], options: GradOptions = {}): (Tensor | null)[] {
  const createGraph = options.createGraph ?? false;
  const rootGrads = makeRootGrads(outputs, gradOutputs, createGraph);
  const targets = inputs.map((t, i) => {
    const e = gradientEdge(t);
    if (e === null) {
      throw new RuntimeError(`One of the differentiated Tensors does not require grad`);
    }
    void i;
    return e;
  });
  const captured = execute(outputs, rootGrads, {
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    targets,
    kind: 'grad',
  })!;
  return captured.map((g) => {
    if (g === null && !options.allowUnused) {
      throw new RuntimeError(
        'One of the differentiated Tensors appears to not have been used in the graph. ' +
        'Set allow_unused=True if this is the desired behavior.');
    }
    return g;
  });
}

function makeRootGrads(roots: readonly Tensor[], grads: readonly (Tensor | null | undefined)[],
  createGraph: boolean): Tensor[] {
  return roots.map((t, i) => {
    if (!t.requiresGrad) {
      throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    }
    const g = grads[i];
    if (g === null || g === undefined) {
      if (t.numel() !== 1) throw new RuntimeError('grad can be implicitly created only for scalar outputs');
      return ops!.onesLike(t);
    }
    if (!sameShape(g.shape, t.shape)) {
      throw new RuntimeError(
        `Mismatch in shape: grad_output[${i}] has a shape of torch.Size([${g.shape.join(', ')}]) and ` +
        `output[${i}] has a shape of torch.Size([${t.shape.join(', ')}]).`);
    }
    return createGraph ? g : ops!.detach(g);
  });
}

interface ExecuteOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** autograd.grad: capture the gradient arriving at these edges instead of accumulating. */
  targets: Edge[] | null;
  kind: 'backward' | 'grad';
}

/**
 * NOTE [Engine state on the nodes]
 * A backward pass needs, per node, how many edges still have to deliver a gradient and the
 * gradients received so far. They live in fields of the node (`_task`, `_dependencies`,
 * `_buffer`), stamped with the pass's task id, rather than in Maps keyed by node: the Map
 * lookups used to cost as much as the small ops themselves. A pass started while another runs
 * (autograd.grad inside a hook) saves the outer pass's fields of the nodes it touches and puts
 * them back when it ends, so passes nest like PyTorch's reentrant backward.
 */
let lastTask = 0;
let runningTasks = 0;

/** A node's fields as an outer pass left them (restored when the inner pass ends). */
interface SavedNodeState { node: Node; task: number; dependencies: number; buffer: (Tensor | null)[] | null; owned: number }

/**
 * Runs the backward pass. Iterative (a 1,000,000-op chain never touches the JS stack) and in
 * PyTorch's order: among nodes whose gradients are complete, the one created last runs first.
 */
function execute(roots: readonly Tensor[], rootGrads: Tensor[], opts: ExecuteOptions): (Tensor | null)[] | null {
  const task = ++lastTask;
  const outer: SavedNodeState[] | null = runningTasks > 0 ? [] : null;
  const rootEdges = roots.map((t) => gradientEdge(t)!);
  const reached = countDependencies(rootEdges, task, outer);
  const listener = captureListener();
  listener?.onBackwardStart?.(roots, opts.kind);
  runningTasks++;
  const previousMode = setGradEnabledRaw(opts.createGraph);
  let completed = false;
  try {
    const captured = runTask(rootEdges, rootGrads, opts, listener);
    completed = true;
    return captured;
  } finally {
    setGradEnabledRaw(previousMode);
    runningTasks--;
    // After an exception, buffers may still hold gradients: drop them (the nodes outlive the pass).
    if (!completed) {
      for (let i = 0; i < reached.length; i++) {
        reached[i]._buffer = null;
        reached[i]._owned = 0;
      }
    }
    if (outer !== null) {
      for (let i = outer.length - 1; i >= 0; i--) {
        const s = outer[i];
        s.node._task = s.task;
        s.node._dependencies = s.dependencies;
        s.node._buffer = s.buffer;
        s.node._owned = s.owned;
      }
    }
    listener?.onBackwardEnd?.();
  }
}

function runTask(rootEdges: readonly Edge[], rootGrads: Tensor[], opts: ExecuteOptions,
  listener: CaptureListener | null): (Tensor | null)[] | null {
  const targets = opts.targets;
  const needed = targets ? markNeeded(rootEdges.map((e) => e.node), targets) : null;
  const captured: (Tensor | null)[] | null = targets ? targets.map(() => null) : null;

  const ready = new NodeHeap();
  // Sums may be made in place only when they are not themselves being recorded.
  const inPlace = !opts.createGraph;
  for (let i = 0; i < rootEdges.length; i++) addToBuffer(rootEdges[i], rootGrads[i], inPlace);
  // Roots whose dependency count is zero start ready (a root can also be inside another root's graph).
  for (let i = 0; i < rootEdges.length; i++) {
    const node = rootEdges[i].node;
    let duplicate = false;
    for (let k = 0; k < i; k++) if (rootEdges[k].node === node) duplicate = true;
    if (!duplicate && node._dependencies === 0) ready.push(node);
  }

  const anomaly = isAnomalyEnabled();
  while (ready.size > 0) {
    const node = ready.pop();
    const inputs = node._buffer ?? nullArray(node.numOutputs);
    const owned = node._owned;
    node._buffer = null;
    node._owned = 0;
    if (node.preHooks !== null || node.retainGradOf !== null) runPreHooks(node, inputs);

    if (targets) {
      for (let k = 0; k < targets.length; k++) {
        const t = targets[k];
        if (t.node === node) {
          const g = inputs[t.inputNr];
          if (g) captured![k] = captured![k] ? ops!.add(captured![k]!, g) : g;
        }
      }
      if (needed && !needed.has(node)) continue;
    }

    let outputs: (Tensor | null)[];
    if (node instanceof AccumulateGrad) {
      if (!targets) accumulate(node, inputs[0], opts.createGraph, (owned & 1) !== 0);
      outputs = NO_GRADS;
    } else if (allNull(inputs)) {
      outputs = nullArray(node.next.length);
    } else {
      outputs = node.apply(inputs);
      if (!opts.retainGraph) node.releaseVariables();
      validateOutputs(node, outputs);
      if (anomaly) checkNaN(node, outputs);
    }
    if (listener !== null) listener.onBackwardNode?.({ node, gradOutputs: inputs, gradInputs: outputs });

    const next = node.next;
    for (let j = 0; j < next.length; j++) {
      const edge = next[j];
      if (edge === null) continue;
      const g = outputs[j] ?? null;
      if (g !== null) addToBuffer(edge, g, inPlace);
      const target = edge.node;
      if (--target._dependencies === 0) ready.push(target);
    }
  }
  return captured;
}

/** What AccumulateGrad passes on: nothing (it has no next edges). */
const NO_GRADS: (Tensor | null)[] = [];

function nullArray(n: number): (Tensor | null)[] {
  if (n === 1) return [null];
  const a = new Array<Tensor | null>(n);
  for (let i = 0; i < n; i++) a[i] = null;
  return a;
}

function allNull(xs: readonly (Tensor | null)[]): boolean {
  for (let i = 0; i < xs.length; i++) if (xs[i] !== null && xs[i] !== undefined) return false;
  return true;
}

/**
 * Stamps every node reachable from the roots with `task` and its number of incoming edges
 * (breadth-first over an array: no recursion, no Set). Returns the nodes reached; `outer`
 * (nested passes) receives the fields it overwrote.
 */
function countDependencies(rootEdges: readonly Edge[], task: number, outer: SavedNodeState[] | null): Node[] {
  const reached: Node[] = [];
  const visit = (node: Node): void => {
    if (outer !== null && node._task !== 0) {
      outer.push({ node, task: node._task, dependencies: node._dependencies, buffer: node._buffer, owned: node._owned });
    }
    node._task = task;
    node._dependencies = 0;
    node._buffer = null;
    node._owned = 0;
    reached.push(node);
  };
  for (let i = 0; i < rootEdges.length; i++) if (rootEdges[i].node._task !== task) visit(rootEdges[i].node);
  for (let k = 0; k < reached.length; k++) {
    const next = reached[k].next;
    for (let j = 0; j < next.length; j++) {
      const e = next[j];
      if (e === null) continue;
      const child = e.node;
      if (child._task !== task) visit(child);
      child._dependencies++;
    }
  }
  return reached;
}

/** Nodes on some path from a root to a target (the rest need not run for autograd.grad). */
function markNeeded(roots: readonly Node[], targets: readonly Edge[]): Set<Node> {
  const targetNodes = new Set(targets.map((t) => t.node));
  const needed = new Set<Node>();
  // Iterative post-order DFS: a node is needed if it is a target or any child is needed.
  const state = new Map<Node, number>(); // 1 = on stack, 2 = done
  const stack: { node: Node; i: number }[] = roots.map((node) => ({ node, i: 0 }));
  for (const r of roots) state.set(r, 1);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const next = top.node.next;
    if (top.i < next.length) {
      const e = next[top.i++];
      if (e !== null && !state.has(e.node)) {
        state.set(e.node, 1);
        stack.push({ node: e.node, i: 0 });
      }
      continue;
    }
    stack.pop();
    state.set(top.node, 2);
    if (targetNodes.has(top.node) || top.node.next.some((e) => e !== null && needed.has(e.node))) {
      needed.add(top.node);
    }
  }
  return needed;
}

/**
 * NOTE [Owned gradient buffers]
 * A node used by several ops receives several gradients, summed in its input buffer (PyTorch's
 * InputBuffer). The first sum is a new tensor nobody else has seen, so — unless the pass records
 * its own arithmetic (createGraph) — the following gradients are added into it in place instead
 * of allocating a new sum each time (same values: `prev + g` rounded once either way). Gradients
 * that arrive from rules are never written: a rule may hand the same tensor to several edges.
 */
function addToBuffer(edge: Edge, g: Tensor, inPlace: boolean): void {
  const node = edge.node;
  let buf = node._buffer;
  if (buf === null) {
    buf = nullArray(node.numOutputs);
    node._buffer = buf;
  }
  const nr = edge.inputNr;
  const prev = buf[nr];
  if (prev === null) {
    buf[nr] = g;
    return;
  }
  const bit = nr < 30 ? 1 << nr : 0;
  if (inPlace && (node._owned & bit) !== 0 && canAddInPlace(prev, g)) {
    ops!.addInPlace(prev, g);
    return;
  }
  buf[nr] = ops!.add(prev, g);
  if (inPlace) node._owned |= bit;
}

/** Whether `prev += g` gives what `prev.add(g)` would (same shape and dtype, no broadcasting). */
function canAddInPlace(prev: Tensor, g: Tensor): boolean {
  return prev.dtype === g.dtype && (prev.shape === g.shape || sameShape(prev.shape, g.shape));
}

function runPreHooks(node: Node, inputs: (Tensor | null)[]): void {
  if (node.preHooks) {
    for (const [i, hooks] of node.preHooks) {
      for (const hook of hooks) {
        const g = inputs[i];
        if (g === null) continue;
        const r = hook(g);
        if (r) inputs[i] = r;
      }
    }
  }
  if (node.retainGradOf) {
    for (const [i, t] of node.retainGradOf) {
      const g = inputs[i];
      if (g === null) continue;
      t._grad = t._grad === null ? ops!.cloneDetached(g) : ops!.add(t._grad, g);
    }
  }
}

/** `owned`: g is a sum the engine made (see NOTE [Owned gradient buffers]). */
function accumulate(node: AccumulateGrad, g: Tensor | null, createGraph: boolean, owned: boolean): void {
  if (g === null) return;
  const leaf = node.variable;
  const hooks = leaf._hooks;
  if (hooks !== null && hooks.length > 0) {
    for (const hook of hooks) {
      const r = hook(g);
      if (r) g = r;
    }
    // A hook may have kept the tensor it was given or returned one of its own.
    owned = false;
  }
  if (leaf._grad === null) {
    // NOTE: the incoming gradient may be shared (AddBackward passes one tensor to both inputs),
    // so the leaf gets its own copy unless it is building a graph of gradients, or the engine's
    // own sum (contiguous, referenced nowhere else) can become `.grad` as it is.
    leaf._grad = createGraph || (owned && g._contiguous) ? g : ops!.cloneDetached(g);
  } else if (createGraph || isGradEnabled()) {
    leaf._grad = ops!.add(leaf._grad, g);
  } else {
    ops!.addInPlace(leaf._grad, g);
  }
}

/** PyTorch's validate_outputs: gradients take each input's shape and dtype. */
function validateOutputs(node: Node, outputs: (Tensor | null)[]): void {
  for (let i = 0; i < outputs.length; i++) {
    const g = outputs[i];
    if (g === null || g === undefined || node.next[i] === null) continue;
    const shape = node.inputShape(i);
    const dtype = node.inputDtype(i);
    let r = g;
    if (shape !== null && r.shape !== shape && !sameShape(r.shape, shape)) r = ops!.sumTo(r, shape);
    if (dtype !== null && r.dtype !== dtype) r = ops!.cast(r, { dtype });
    outputs[i] = r;
  }
}

function checkNaN(node: Node, outputs: (Tensor | null)[]): void {
  outputs.forEach((g, i) => {
    if (g && ops!.hasNaN(g)) {
      const where = node.trace?.location
        ? `\nThe forward op was ${node.trace.op} at ${node.trace.location.file}:${node.trace.location.line}:${node.trace.location.column}.`
        : '';
      throw new RuntimeError(`Function '${node.name}' returned nan values in its ${i}th output.${where}`);
    }
  });
}

/** Max-heap of nodes by sequence number. */
class NodeHeap {
  private items: Node[] = [];
  get size(): number {
    return this.items.length;
  }
  push(n: Node): void {
    const a = this.items;
    a.push(n);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].sequenceNr >= a[i].sequenceNr) break;
      const t = a[p]; a[p] = a[i]; a[i] = t;
      i = p;
    }
  }
  pop(): Node {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].sequenceNr > a[m].sequenceNr) m = l;
        if (r < a.length && a[r].sequenceNr > a[m].sequenceNr) m = r;
        if (m === i) break;
        const t = a[m]; a[m] = a[i]; a[i] = t;
        i = m;
      }
    }
    return top;
  }
}
