import { isFloating, type DType } from '../dtype';
import { isGradEnabled } from '../autograd/gradMode';
import { gradientEdge, Node, SavedTensor, type Edge, type TensorMeta } from '../autograd/node';
import { noteViewCreation } from '../autograd/views';
import { captureListener, type OpEvent } from '../capture/hooks';
import type { Tensor } from '../tensor';

/**
 * NOTE [The op table]
 * Every primitive op is one `OpDef`: its forward kernel, which tensors its backward needs, its
 * backward rule and PyTorch's name for the backward node — the shape of PyTorch's
 * derivatives.yaml. Backward rules are written with tensor ops, so running them with grad mode on
 * (createGraph) records them and gives double backward for free. Rules return gradients shaped
 * like the op's *broadcast* inputs when that is natural; the engine sums them back to each
 * input's shape in one place (see `toInputShape` in engine.ts), never in a rule.
 */
export interface OpDef<A = unknown> {
  /** Forward name, as the public API spells it. */
  readonly name: string;
  /** PyTorch's backward node name (`AddBackward0`), or a function of the call when it varies. */
  readonly gradFn: string | ((attrs: A, inputs: readonly Tensor[]) => string);
  /** Computes the outputs; must not record autograd history (it only reads and writes storage). */
  forward(inputs: readonly Tensor[], attrs: A): Tensor | Tensor[];
  /** Inputs the backward rule reads (`ctx.input(i)`); saved with their version. */
  readonly savesInputs?: readonly number[];
  /** Outputs the backward rule reads (`ctx.output(i)`). */
  readonly savesOutputs?: readonly number[];
  /** Gradient for each input (null where none). Absent: the op is not differentiable. */
  backward?(ctx: BackwardContext<A>): (Tensor | null)[];
  /** Inputs that never get a gradient (indices, masks, class targets). */
  readonly nonDifferentiable?: readonly number[];
  /** Outputs are views sharing the (first) input's storage. */
  readonly isView?: boolean;
  /** Returns several views (split, unbind): PyTorch forbids modifying them in place. */
  readonly multiOutputView?: boolean;
  /** For the generated API reference. */
  readonly doc?: OpDoc;
}

export interface OpDoc {
  /** PyTorch's name: `torch.add`, `Tensor.t`, `torch.nn.functional.gelu`. */
  readonly torch: string;
  /** A one-line TypeScript example. */
  readonly example: string;
  /** The derivative in words or as a formula (shown by the backward replay). */
  readonly rule?: string;
}

export interface BackwardContext<A> {
  /** Gradient w.r.t. output 0 (zeros when it received none but another output did). */
  readonly grad: Tensor;
  /** Gradient w.r.t. each output, null where none flowed. */
  readonly grads: readonly (Tensor | null)[];
  readonly attrs: A;
  /** Shape and dtype of each input, available even after saved tensors are freed. */
  readonly inputMeta: readonly TensorMeta[];
  /** The shape of input `i` (`inputMeta[i].shape` without building the list). */
  inputShape(i: number): readonly number[];
  /** A saved input (must be listed in `savesInputs`). */
  input(i: number): Tensor;
  /** A saved output (must be listed in `savesOutputs`). */
  output(i: number): Tensor;
  /** Whether input `i` needs a gradient (skip work for the others). */
  needsGrad(i: number): boolean;
  /**
   * Strides of saved input `i` (null once freed), read without the in-place check of `input`:
   * for rules that only choose a layout from them, as ATen's formulas take `self.sym_strides()`.
   */
  inputStrides(i: number): readonly number[] | null;
}

/** The backward node of one recorded op. */
export class OpNode<A = unknown> extends Node {
  readonly name: string;
  private saved: (SavedTensor | null)[] | null;
  private savedOut: (SavedTensor | null)[] | null = null;
  /**
   * Shapes of the inputs (PyTorch's input metadata): the first two in fields, the rest in an
   * array — see NOTE [Node size] in node.ts. `inputDtypes`: one dtype when all inputs share it.
   * Their number is `next.length` (one edge per input).
   */
  private readonly inputShape0: readonly number[] | null;
  private readonly inputShape1: readonly number[] | null;
  private readonly inputShapesRest: readonly (readonly number[])[] | null;
  private readonly inputDtypes: DType | readonly DType[] | null;
  /** Shape and dtype of output 0 (a zero gradient is made from them when only other outputs got one). */
  private readonly output0Shape: readonly number[];
  private readonly output0Dtype: DType;
  private readonly outputCount: number;

  /**
   * `edgeInputs` (in-place ops): the tensors whose history the gradients flow to, when `inputs`
   * holds copies taken before the op overwrote them.
   */
  constructor(readonly def: OpDef<A>, readonly attrs: A, inputs: readonly Tensor[], outputs: readonly Tensor[],
    edgeInputs: readonly Tensor[] = inputs) {
    super(undefined, edgesOf(def, edgeInputs));
    this.name = typeof def.gradFn === 'string' ? def.gradFn : def.gradFn(attrs, inputs);
    const n = inputs.length;
    this.inputShape0 = n > 0 ? inputs[0].shape : null;
    this.inputShape1 = n > 1 ? inputs[1].shape : null;
    this.inputShapesRest = n > 2 ? inputs.slice(2).map((t) => t.shape) : null;
    let uniform = true;
    for (let i = 1; i < n; i++) if (inputs[i].dtype !== inputs[0].dtype) uniform = false;
    this.inputDtypes = n === 0 ? null : uniform ? inputs[0].dtype : inputs.map((t) => t.dtype);
    this.output0Shape = outputs[0].shape;
    this.output0Dtype = outputs[0].dtype;
    this.outputCount = outputs.length;
    this.saved = null;
    const saves = def.savesInputs;
    if (saves) {
      const saved = new Array<SavedTensor | null>(n).fill(null);
      for (let k = 0; k < saves.length; k++) saved[saves[k]] = new SavedTensor(inputs[saves[k]]);
      this.saved = saved;
    }
  }

  /** Shape and dtype of each input, available even after saved tensors are freed. */
  get inputMeta(): TensorMeta[] {
    const out: TensorMeta[] = [];
    for (let i = 0; i < this.next.length; i++) out.push({ shape: this.inputShape(i)!, dtype: this.inputDtype(i)! });
    return out;
  }

  override inputShape(i: number): readonly number[] | null {
    if (i === 0) return this.inputShape0;
    if (i === 1) return this.inputShape1;
    return this.inputShapesRest === null ? null : this.inputShapesRest[i - 2] ?? null;
  }

  override inputDtype(i: number): DType | null {
    const d = this.inputDtypes;
    return d === null || typeof d === 'string' ? d : d[i] ?? null;
  }

  /** @internal outputs are saved after they have their grad_fn (so messages name it). */
  _saveOutputs(outputs: readonly Tensor[]): void {
    const saves = this.def.savesOutputs;
    if (!saves) return;
    const saved = new Array<SavedTensor | null>(outputs.length).fill(null);
    for (let k = 0; k < saves.length; k++) saved[saves[k]] = new SavedTensor(outputs[saves[k]], true);
    this.savedOut = saved;
  }

  get numOutputs(): number {
    return this.outputCount;
  }

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const def = this.def;
    if (!def.backward) return this.next.map(() => null);
    let grad = gradOutputs[0];
    if (grad === null || grad === undefined) {
      grad = zerosLike({ shape: this.output0Shape, dtype: this.output0Dtype });
    }
    const previous = applying;
    applying = this as OpNode<unknown>;
    const ctx = enterContext(this as OpNode<unknown>, grad, gradOutputs);
    try {
      return def.backward(ctx as OpBackwardContext<A>);
    } finally {
      leaveContext(ctx);
      applying = previous;
    }
  }

  /** @internal the saved input `i` (ctx.input). */
  _input(i: number): Tensor {
    const s = this.saved?.[i];
    if (!s) throw new Error(`internal: ${this.def.name} backward reads input ${i} it did not save`);
    return s.unpack();
  }

  /** @internal the strides of saved input `i`, without unpacking it (ctx.inputStrides). */
  _inputStrides(i: number): readonly number[] | null {
    const t = this.saved?.[i]?.peek();
    return t ? t.strides : null;
  }

  /** @internal the saved output `i` (ctx.output). */
  _output(i: number): Tensor {
    const s = this.savedOut?.[i];
    if (!s) throw new Error(`internal: ${this.def.name} backward reads output ${i} it did not save`);
    return s.unpack();
  }

  override releaseVariables(): void {
    if (this.saved) for (const s of this.saved) s?.release();
    if (this.savedOut) for (const s of this.savedOut) s?.release();
  }

  /** @internal saved tensors still held, for the graph's "saved for backward" view. */
  savedTensors(): { name: string; tensor: Tensor }[] {
    const out: { name: string; tensor: Tensor }[] = [];
    this.saved?.forEach((s, i) => { const t = s?.peek(); if (t) out.push({ name: `input ${i}`, tensor: t }); });
    this.savedOut?.forEach((s, i) => { const t = s?.peek(); if (t) out.push({ name: `result${i ? i : ''}`, tensor: t }); });
    return out;
  }
}

/**
 * NOTE [Backward context without closures]
 * Rules destructure their context (`({ grad, input, needsGrad }) => ...`), so `input`, `output`
 * and `needsGrad` must work detached from the object. Instead of three closures per node applied,
 * they are shared functions reading the node being applied, which `OpNode.apply` sets around the
 * call (and restores after, so applies may nest). They are only valid while the rule runs, which
 * is the BackwardContext contract.
 */
let applying: OpNode<unknown> | null = null;
const STALE_CONTEXT = 'internal: a backward context was used after its rule returned';

function applyingNode(): OpNode<unknown> {
  if (applying === null) throw new Error(STALE_CONTEXT);
  return applying;
}
const ctxInput = (i: number): Tensor => applyingNode()._input(i);
const ctxOutput = (i: number): Tensor => applyingNode()._output(i);
const ctxNeedsGrad = (i: number): boolean => applyingNode().next[i] !== null;
const ctxInputStrides = (i: number): readonly number[] | null => applyingNode()._inputStrides(i);
const ctxInputShape = (i: number): readonly number[] => {
  const shape = applyingNode().inputShape(i);
  if (shape === null) throw new Error(`internal: no input ${i}`);
  return shape;
};

class OpBackwardContext<A> implements BackwardContext<A> {
  readonly input = ctxInput;
  readonly output = ctxOutput;
  readonly needsGrad = ctxNeedsGrad;
  readonly inputStrides = ctxInputStrides;
  readonly inputShape = ctxInputShape;
  constructor(public node: OpNode<A> | null, public gradOrNull: Tensor | null, public grads: readonly (Tensor | null)[],
    public attrs: A) {}
  get grad(): Tensor {
    if (this.gradOrNull === null) throw new Error(STALE_CONTEXT);
    return this.gradOrNull;
  }
  get inputMeta(): readonly TensorMeta[] {
    if (this.node === null) throw new Error(STALE_CONTEXT);
    return this.node.inputMeta;
  }
}

/**
 * NOTE [Reused backward contexts]
 * A context is only valid while its rule runs (see above), so instead of one per node applied
 * there is one per nesting depth (an apply inside a rule, e.g. a hook's autograd.grad, takes the
 * next), refilled on entry and cleared on exit so nothing outlives the rule.
 */
const contexts: OpBackwardContext<unknown>[] = [];
let contextDepth = 0;

function enterContext(node: OpNode<unknown>, grad: Tensor, grads: readonly (Tensor | null)[]): OpBackwardContext<unknown> {
  let ctx = contexts[contextDepth];
  if (ctx === undefined) {
    ctx = new OpBackwardContext<unknown>(node, grad, grads, node.attrs);
    contexts.push(ctx);
  } else {
    ctx.node = node;
    ctx.gradOrNull = grad;
    ctx.grads = grads;
    ctx.attrs = node.attrs;
  }
  contextDepth++;
  return ctx;
}

function leaveContext(ctx: OpBackwardContext<unknown>): void {
  contextDepth--;
  ctx.node = null;
  ctx.gradOrNull = null;
  ctx.grads = NO_GRADS;
  ctx.attrs = null;
}

const NO_GRADS: readonly (Tensor | null)[] = [];

/** One edge per input (null for non-differentiable inputs and inputs that need no gradient). */
function edgesOf<A>(def: OpDef<A>, inputs: readonly Tensor[]): (Edge | null)[] {
  const nonDiff = def.nonDifferentiable;
  const n = inputs.length;
  const next = new Array<Edge | null>(n);
  for (let i = 0; i < n; i++) next[i] = nonDiff && nonDiff.includes(i) ? null : gradientEdge(inputs[i]);
  return next;
}

let zerosFactory: ((meta: TensorMeta) => Tensor) | null = null;
/** @internal set by the creation module (avoids an import cycle). */
export function _setZerosFactory(f: (meta: TensorMeta) => Tensor): void {
  zerosFactory = f;
}
function zerosLike(meta: TensorMeta): Tensor {
  return zerosFactory!(meta);
}

export function needsGradFor(def: OpDef<never>, inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled() || !def.backward) return false;
  const nonDiff = def.nonDifferentiable;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    if ((t._requiresGrad || t._gradFn !== null) && !(nonDiff && nonDiff.includes(i))) return true;
  }
  return false;
}

/** Runs an op: forward, then (when needed) its backward node, then tells the capture. */
export function run<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  const result = def.forward(inputs, attrs);
  const outputs = Array.isArray(result) ? result : [result];
  finish(def, inputs, attrs, outputs, needsGradFor(def as OpDef<never>, inputs));
  return outputs;
}

/** `run` for single-output ops. */
export function run1<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const result = def.forward(inputs, attrs);
  const recordGrad = needsGradFor(def as OpDef<never>, inputs);
  if (Array.isArray(result)) {
    finish(def, inputs, attrs, result, recordGrad);
    return result[0];
  }
  // NOTE: the common case (no autograd, no view, no capture) allocates nothing beyond the output.
  if (def.isView || captureListener() !== null) finish(def, inputs, attrs, [result], recordGrad);
  else if (recordGrad) {
    if (singleOutput.length === 0) recordSingle(def, inputs, attrs, result);
    else finish(def, inputs, attrs, [result], true);
  }
  return result;
}

/**
 * `finish` for one output, no view and no capture: the backward node only. NOTE: the node reads
 * its outputs list and keeps none of it, so one scratch list serves every call (emptied after,
 * so it holds no tensor alive; a call made while it is in use, which nothing does today, would
 * take the general path).
 */
const singleOutput: Tensor[] = [];
function recordSingle<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A, output: Tensor): void {
  singleOutput.push(output);
  try {
    const node = new OpNode(def, attrs, inputs, singleOutput);
    if (isFloating(output.dtype)) {
      output._gradFn = node;
      output._outputNr = 0;
    }
    node._saveOutputs(singleOutput);
  } finally {
    singleOutput.pop();
  }
}

/** Everything after the forward: the backward node, view bookkeeping, the capture's notification. */
function finish<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A, outputs: readonly Tensor[],
  recordGrad: boolean): void {
  let node: OpNode<A> | null = null;
  if (recordGrad) {
    node = new OpNode(def, attrs, inputs, outputs);
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      if (isFloating(o.dtype)) {
        o._gradFn = node;
        o._outputNr = i;
      }
    }
    node._saveOutputs(outputs);
  }
  if (def.isView) markViews(inputs[0], outputs, def, attrs);
  const listener = captureListener();
  if (listener !== null) listener.onOp(new OpNotification(def.name, inputs, outputs, node, attrs));
}

/**
 * The capture's OpEvent. `attrs` is converted to plain data only if the listener reads it (the
 * capture ignores the gradient arithmetic inside backward(), half the ops of a training step).
 */
class OpNotification implements OpEvent {
  private converted: Record<string, unknown> | null | undefined = undefined;
  constructor(readonly op: string, readonly inputs: readonly Tensor[], readonly outputs: readonly Tensor[],
    readonly node: Node | null, private readonly rawAttrs: unknown) {}
  get attrs(): Record<string, unknown> | null {
    if (this.converted === undefined) this.converted = attrsForCapture(this.rawAttrs);
    return this.converted;
  }
}

/**
 * Records how each output views the root base, so an in-place op through the view can rewrite the
 * base's history (see autograd/views.ts).
 */
function markViews<A>(input: Tensor, outputs: readonly Tensor[], def: OpDef<A>, attrs: A): void {
  const base = input._base ?? input;
  const parentReplay = input._viewReplay;
  outputs.forEach((o, i) => {
    if (o._box !== input._box) return;
    o._base = base;
    noteViewCreation(input, o, def.multiOutputView === true);
    o._viewReplay = (b: Tensor) => {
      const src = parentReplay ? parentReplay(b) : b;
      const r = def.forward([src], attrs);
      return Array.isArray(r) ? r[i] : r;
    };
  });
}

/** Only plain data goes to the capture (functions, tensors and big arrays stay behind). */
function attrsForCapture(attrs: unknown): Record<string, unknown> | null {
  if (attrs === null || typeof attrs !== 'object') return null;
  const a = attrs as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  // NOTE: for-in over own keys visits them in Object.entries' order without building the pairs.
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(a, k)) continue;
    const v = a[k];
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || isSmallNumberList(v)) {
      (out ??= {})[k] = v;
    }
  }
  return out;
}

function isSmallNumberList(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > 16) return false;
  for (const x of v) if (typeof x !== 'number' && x !== null) return false;
  return true;
}

/** Tells the capture about a tensor made without an op node (factories, `tensor(...)`). */
export function notifyCreated(op: string, output: Tensor, attrs?: Record<string, unknown>): Tensor {
  const listener = captureListener();
  if (listener !== null) listener.onOp({ op, inputs: [], outputs: [output], node: null, attrs: attrs ?? null });
  return output;
}
