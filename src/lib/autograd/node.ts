import type { DType } from '../dtype';
import { legacyTypeName } from '../dtype';
import { RuntimeError } from '../errors';
import type { Tensor, TensorHook } from '../tensor';

/** Where a gradient goes: input `inputNr` of `node` (PyTorch's autograd::Edge). */
export interface Edge {
  readonly node: Node;
  readonly inputNr: number;
}

/** Shape and dtype of a forward input, kept even after saved tensors are freed. */
export interface TensorMeta {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export const FREED_GRAPH_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they ' +
  'have already been freed). Saved intermediate values of the graph are freed when you call ' +
  '.backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the ' +
  'graph a second time or if you need to access saved tensors after calling backward.';

let nextSequenceNr = 0;
/** Fake addresses start here and step by 0x40 per node (stable, increasing, unique). */
const ADDRESS_BASE = 0x7f3a1c000000;
let nextAddressIndex = 0;

/** Where the forward op ran, for anomaly mode and the graph (set by the runner's capture). */
export interface ForwardTrace {
  op: string;
  location?: { file: string; line: number; column: number };
}

/**
 * A backward function (`grad_fn`). Subclasses: OpNode (one per recorded op) and AccumulateGrad
 * (one per leaf). Execution order follows PyTorch's engine: ready nodes run highest
 * sequence number first.
 *
 * NOTE [Node size]: a script records one node per differentiable op, so every field here is paid
 * per op. Fields are small integers or pointers (a double such as a 48-bit address would be a
 * separate heap allocation per node), and rarely used ones (hooks, retained grads) live in one side
 * object allocated on first write, as in Tensor (NOTE [Tensor size]). `trace` stays a field: under
 * the runner's capture every node has one.
 */
export abstract class Node implements Edge {
  abstract readonly name: string;
  /** Creation order; the engine runs ready nodes in decreasing order, as PyTorch does. */
  readonly sequenceNr: number;
  /** Index of this node's fake address (see `address`). */
  private readonly addressIndex: number;
  /** One entry per differentiable forward input: where its gradient goes (null: nowhere). */
  next: (Edge | null)[];
  /** Rarely set state (hooks, retained grads), allocated on first write. */
  private _extra: NodeExtras | null = null;
  /** Forward op and source location, filled in by the capture when one is listening. */
  trace: ForwardTrace | null = null;
  /** @internal scratch state of the backward pass running over this node (see engine.ts). */
  _task = 0;
  /** @internal */ _dependencies = 0;
  /** @internal */ _buffer: (Tensor | null)[] | null = null;
  /**
   * @internal bit i set: `_buffer[i]` is a sum the engine made itself, referenced nowhere else,
   * so later gradients may be added into it in place (see NOTE [Owned gradient buffers]).
   */
  _owned = 0;

  constructor(sequenceNr?: number, next: (Edge | null)[] = []) {
    this.sequenceNr = sequenceNr ?? nextSequenceNr++;
    this.addressIndex = nextAddressIndex++;
    this.next = next;
  }

  /** Hooks on the gradient w.r.t. output i, registered through non-leaf tensors. */
  get preHooks(): Map<number, TensorHook[]> | null {
    return this._extra === null ? null : this._extra.preHooks;
  }
  set preHooks(value: Map<number, TensorHook[]> | null) {
    if (value !== null || this._extra !== null) this.extra().preHooks = value;
  }

  /** Non-leaf tensors that asked to keep their gradient (`retainGrad()`), by output index. */
  get retainGradOf(): Map<number, Tensor> | null {
    return this._extra === null ? null : this._extra.retainGradOf;
  }
  set retainGradOf(value: Map<number, Tensor> | null) {
    if (value !== null || this._extra !== null) this.extra().retainGradOf = value;
  }

  private extra(): NodeExtras {
    return this._extra ??= new NodeExtras();
  }

  /**
   * NOTE [A node is the edge to its output 0]
   * Most ops have one output, and each use of an op's result as an input needs an Edge to it. So
   * that the edge costs no allocation, a node is itself the edge `{ node: this, inputNr: 0 }`
   * (prototype getters, no per-node fields); edges to other outputs are plain objects.
   */
  get node(): Node {
    return this;
  }
  get inputNr(): number {
    return 0;
  }

  /** Fake but stable address for `<AddBackward0 object at 0x...>`. */
  get address(): number {
    return ADDRESS_BASE + (this.addressIndex + 1) * 0x40;
  }

  /** Number of forward outputs whose gradients this node receives. */
  abstract get numOutputs(): number;

  /** Computes gradients for the next edges from the gradients w.r.t. the outputs. */
  abstract apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[];

  /**
   * Shape and dtype of forward input `i` (OpNode), so the engine can give each gradient its
   * input's shape and dtype (PyTorch's validate_outputs). Null: the gradient needs no fixing.
   */
  inputShape(_i: number): readonly number[] | null {
    return null;
  }
  inputDtype(_i: number): DType | null {
    return null;
  }

  /** Frees saved tensors (after a backward without retainGraph). */
  releaseVariables(): void {}

  /** `grad_fn.next_functions`: one [node, inputNr] pair per input; null for no gradient. */
  get nextFunctions(): [Node | null, number][] {
    return this.next.map((e) => (e ? [e.node, e.inputNr] : [null, 0]));
  }

  addPreHook(outputNr: number, hook: TensorHook): () => void {
    this.preHooks ??= new Map();
    let list = this.preHooks.get(outputNr);
    if (!list) this.preHooks.set(outputNr, (list = []));
    list.push(hook);
    return () => {
      const i = list!.indexOf(hook);
      if (i >= 0) list!.splice(i, 1);
    };
  }

  toString(): string {
    return `<${this.name} object at 0x${this.address.toString(16)}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** See NOTE [Node size]: the fields few nodes use, in one object allocated on first write. */
class NodeExtras {
  preHooks: Map<number, TensorHook[]> | null = null;
  retainGradOf: Map<number, Tensor> | null = null;
}

/** A tensor saved for backward, with the version it had so in-place changes are detected. */
export class SavedTensor {
  private readonly savedVersion: number;
  /** Its output number when saved (named in the error message). */
  private readonly outputNr: number;
  /**
   * For a saved output, the node that produced (and saved) it; undefined for a saved input,
   * whose message names the tensor's grad_fn at unpack time — PyTorch's SavedVariable, which
   * keeps the original tensor for inputs (`data_.grad_fn()`) and reports `saved_for` for outputs.
   */
  private readonly producer: Node | null | undefined;

  constructor(private tensor: Tensor | null, isOutput = false) {
    this.savedVersion = tensor!._box.version;
    this.outputNr = tensor!._outputNr;
    this.producer = isOutput ? tensor!._gradFn : undefined;
  }

  unpack(): Tensor {
    const t = this.tensor;
    if (t === null) throw new RuntimeError(FREED_GRAPH_MESSAGE);
    if (t._box.version !== this.savedVersion) {
      const desc = `[${legacyTypeName(t.dtype)} [${t.shape.join(', ')}]]`;
      const fn = this.producer === undefined ? t._gradFn : this.producer;
      const which = fn ? `, which is output ${this.outputNr} of ${fn.name},` : '';
      throw new RuntimeError(
        'one of the variables needed for gradient computation has been modified by an inplace ' +
        `operation: ${desc}${which} is at version ` +
        `${t._box.version}; expected version ${this.savedVersion} instead. Hint: enable anomaly ` +
        'detection to find the operation that failed to compute its gradient, with ' +
        'torch.autograd.set_detect_anomaly(True, check_nan=False).');
    }
    return t;
  }

  release(): void {
    this.tensor = null;
  }

  /** @internal for the capture's "saved tensors" view; null once freed. */
  peek(): Tensor | null {
    return this.tensor;
  }
}

/**
 * The sink of a leaf's gradient: runs the leaf's hooks, then accumulates into `.grad`.
 * PyTorch gives it the highest priority so leaves are updated as soon as they are ready.
 */
export class AccumulateGrad extends Node {
  readonly name = 'AccumulateGrad';

  /** @internal The edge into this node, shared by every op that uses the leaf (edges are immutable). */
  readonly edge: Edge;

  constructor(readonly variable: Tensor) {
    super(Number.MAX_SAFE_INTEGER);
    this.edge = { node: this, inputNr: 0 };
  }

  get numOutputs(): number {
    return 1;
  }

  apply(): (Tensor | null)[] {
    // NOTE: the engine performs the accumulation itself (it knows createGraph); see engine.ts.
    return [];
  }
}

/** The leaf's AccumulateGrad node, created once and then shared like PyTorch's weak cache. */
export function accumulatorOf(leaf: Tensor): AccumulateGrad {
  if (leaf._accumulator === null) leaf._accumulator = new AccumulateGrad(leaf);
  return leaf._accumulator as AccumulateGrad;
}

/** Where the gradient of tensor `t` should go when it is used as an input to an op. */
export function gradientEdge(t: Tensor): Edge | null {
  if (t._gradFn !== null) return t._outputNr === 0 ? t._gradFn : { node: t._gradFn, inputNr: t._outputNr };
  if (t._requiresGrad) return accumulatorOf(t).edge;
  return null;
}
