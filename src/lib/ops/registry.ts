import { isFloating } from '../dtype';
import { isGradEnabled } from '../autograd/gradMode';
import { gradientEdge, Node, SavedTensor, type TensorMeta } from '../autograd/node';
import { captureListener } from '../capture/hooks';
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
  /** A saved input (must be listed in `savesInputs`). */
  input(i: number): Tensor;
  /** A saved output (must be listed in `savesOutputs`). */
  output(i: number): Tensor;
  /** Whether input `i` needs a gradient (skip work for the others). */
  needsGrad(i: number): boolean;
}

/** The backward node of one recorded op. */
export class OpNode<A = unknown> extends Node {
  readonly name: string;
  private saved: (SavedTensor | null)[] | null;
  private savedOut: (SavedTensor | null)[] | null = null;
  readonly inputMeta: TensorMeta[];
  private readonly outputMeta: TensorMeta[];

  /**
   * `edgeInputs` (in-place ops): the tensors whose history the gradients flow to, when `inputs`
   * holds copies taken before the op overwrote them.
   */
  constructor(readonly def: OpDef<A>, readonly attrs: A, inputs: readonly Tensor[], outputs: readonly Tensor[],
    edgeInputs: readonly Tensor[] = inputs) {
    super();
    this.name = typeof def.gradFn === 'string' ? def.gradFn : def.gradFn(attrs, inputs);
    const nonDiff = def.nonDifferentiable;
    this.next = edgeInputs.map((t, i) => (nonDiff && nonDiff.includes(i) ? null : gradientEdge(t)));
    this.inputMeta = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    this.outputMeta = outputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    this.saved = null;
    if (def.savesInputs) {
      this.saved = inputs.map(() => null);
      for (const i of def.savesInputs) this.saved[i] = new SavedTensor(inputs[i]);
    }
  }

  /** @internal outputs are saved after they have their grad_fn (so messages name it). */
  _saveOutputs(outputs: readonly Tensor[]): void {
    if (!this.def.savesOutputs) return;
    this.savedOut = outputs.map(() => null);
    for (const i of this.def.savesOutputs) this.savedOut[i] = new SavedTensor(outputs[i]);
  }

  get numOutputs(): number {
    return this.outputMeta.length;
  }

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const def = this.def;
    if (!def.backward) return this.next.map(() => null);
    let grad = gradOutputs[0];
    if (grad === null || grad === undefined) {
      grad = zerosLike(this.outputMeta[0]);
    }
    const saved = this.saved;
    const savedOut = this.savedOut;
    const next = this.next;
    const ctx: BackwardContext<A> = {
      grad,
      grads: gradOutputs,
      attrs: this.attrs,
      inputMeta: this.inputMeta,
      input(i) {
        const s = saved?.[i];
        if (!s) throw new Error(`internal: ${def.name} backward reads input ${i} it did not save`);
        return s.unpack();
      },
      output(i) {
        const s = savedOut?.[i];
        if (!s) throw new Error(`internal: ${def.name} backward reads output ${i} it did not save`);
        return s.unpack();
      },
      needsGrad: (i) => next[i] !== null,
    };
    return def.backward(ctx);
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
    if (inputs[i].requiresGrad && !(nonDiff && nonDiff.includes(i))) return true;
  }
  return false;
}

/** Runs an op: forward, then (when needed) its backward node, then tells the capture. */
export function run<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  const result = def.forward(inputs, attrs);
  const outputs = Array.isArray(result) ? result : [result];
  let node: OpNode<A> | null = null;
  if (needsGradFor(def as OpDef<never>, inputs)) {
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
  if (listener !== null) {
    listener.onOp({ op: def.name, inputs, outputs, node, attrs: attrsForCapture(attrs) });
  }
  return outputs;
}

/** `run` for single-output ops. */
export function run1<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return run(def, inputs, attrs)[0];
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
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(attrs as Record<string, unknown>)) {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
      out[k] = v; any = true;
    } else if (Array.isArray(v) && v.length <= 16 && v.every((x) => typeof x === 'number' || x === null)) {
      out[k] = v; any = true;
    }
  }
  return any ? out : null;
}

/** Tells the capture about a tensor made without an op node (factories, `tensor(...)`). */
export function notifyCreated(op: string, output: Tensor, attrs?: Record<string, unknown>): Tensor {
  const listener = captureListener();
  if (listener !== null) listener.onOp({ op, inputs: [], outputs: [output], node: null, attrs: attrs ?? null });
  return output;
}
