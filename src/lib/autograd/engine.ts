import { RuntimeError } from '../errors';
import { captureListener } from '../capture/hooks';
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
 * Runs the backward pass. Iterative (a 1,000,000-op chain never touches the JS stack) and in
 * PyTorch's order: among nodes whose gradients are complete, the one created last runs first.
 */
function execute(roots: readonly Tensor[], rootGrads: Tensor[], opts: ExecuteOptions): (Tensor | null)[] | null {
  const rootEdges = roots.map((t) => gradientEdge(t)!);
  const dependencies = countDependencies(rootEdges.map((e) => e.node));
  const needed = opts.targets ? markNeeded(rootEdges.map((e) => e.node), opts.targets) : null;
  const captured: (Tensor | null)[] | null = opts.targets ? opts.targets.map(() => null) : null;

  const buffers = new Map<Node, (Tensor | null)[]>();
  const ready = new NodeHeap();
  for (let i = 0; i < rootEdges.length; i++) {
    addToBuffer(buffers, rootEdges[i], rootGrads[i]);
  }
  // Roots whose dependency count is zero start ready (a root can also be inside another root's graph).
  const seen = new Set<Node>();
  for (const e of rootEdges) {
    if (!seen.has(e.node) && (dependencies.get(e.node) ?? 0) === 0) ready.push(e.node);
    seen.add(e.node);
  }

  const listener = captureListener();
  listener?.onBackwardStart?.(roots, opts.kind);
  const previousMode = setGradEnabledRaw(opts.createGraph);
  try {
    while (ready.size > 0) {
      const node = ready.pop();
      const inputs = buffers.get(node) ?? new Array(node.numOutputs).fill(null);
      buffers.delete(node);
      runPreHooks(node, inputs);

      if (opts.targets) {
        for (let k = 0; k < opts.targets.length; k++) {
          const t = opts.targets[k];
          if (t.node === node) {
            const g = inputs[t.inputNr];
            if (g) captured![k] = captured![k] ? ops!.add(captured![k]!, g) : g;
          }
        }
        if (needed && !needed.has(node)) continue;
      }

      let outputs: (Tensor | null)[];
      if (node instanceof AccumulateGrad) {
        if (!opts.targets) accumulate(node, inputs[0], opts.createGraph);
        outputs = [];
      } else if (inputs.every((g) => g === null)) {
        outputs = node.next.map(() => null);
      } else {
        outputs = node.apply(inputs);
        if (!opts.retainGraph) node.releaseVariables();
        validateOutputs(node, outputs);
        if (isAnomalyEnabled()) checkNaN(node, outputs);
      }
      listener?.onBackwardNode?.({ node, gradOutputs: inputs, gradInputs: outputs });

      for (let j = 0; j < node.next.length; j++) {
        const edge = node.next[j];
        if (edge === null) continue;
        const g = outputs[j] ?? null;
        if (g !== null) addToBuffer(buffers, edge, g);
        const left = dependencies.get(edge.node)! - 1;
        dependencies.set(edge.node, left);
        if (left === 0) ready.push(edge.node);
      }
    }
  } finally {
    setGradEnabledRaw(previousMode);
    listener?.onBackwardEnd?.();
  }
  return captured;
}

function countDependencies(roots: readonly Node[]): Map<Node, number> {
  const deps = new Map<Node, number>();
  const visited = new Set<Node>();
  const stack: Node[] = [];
  for (const r of roots) {
    if (!visited.has(r)) { visited.add(r); stack.push(r); }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const e of node.next) {
      if (e === null) continue;
      deps.set(e.node, (deps.get(e.node) ?? 0) + 1);
      if (!visited.has(e.node)) { visited.add(e.node); stack.push(e.node); }
    }
  }
  return deps;
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

function addToBuffer(buffers: Map<Node, (Tensor | null)[]>, edge: Edge, g: Tensor): void {
  let buf = buffers.get(edge.node);
  if (!buf) {
    buf = new Array(edge.node.numOutputs).fill(null);
    buffers.set(edge.node, buf);
  }
  const prev = buf[edge.inputNr];
  buf[edge.inputNr] = prev === null ? g : ops!.add(prev, g);
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

function accumulate(node: AccumulateGrad, g: Tensor | null, createGraph: boolean): void {
  if (g === null) return;
  const leaf = node.variable;
  if (leaf._hooks) {
    for (const hook of leaf._hooks) {
      const r = hook(g);
      if (r) g = r;
    }
  }
  if (leaf._grad === null) {
    // NOTE: the incoming gradient may be shared (AddBackward passes one tensor to both inputs),
    // so the leaf gets its own copy unless it is building a graph of gradients.
    leaf._grad = createGraph ? g : ops!.cloneDetached(g);
  } else if (createGraph || isGradEnabled()) {
    leaf._grad = ops!.add(leaf._grad, g);
  } else {
    ops!.addInPlace(leaf._grad, g);
  }
}

/** PyTorch's validate_outputs: gradients take each input's shape and dtype. */
function validateOutputs(node: Node, outputs: (Tensor | null)[]): void {
  const meta = (node as { inputMeta?: { shape: readonly number[]; dtype: Tensor['dtype'] }[] }).inputMeta;
  if (!meta) return;
  for (let i = 0; i < outputs.length; i++) {
    const g = outputs[i];
    if (g === null || g === undefined || node.next[i] === null) continue;
    let r = g;
    if (!sameShape(r.shape, meta[i].shape)) r = ops!.sumTo(r, meta[i].shape);
    if (r.dtype !== meta[i].dtype) r = ops!.cast(r, meta[i]);
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
      [a[p], a[i]] = [a[i], a[p]];
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
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
