import { allocate, isFloating, type DType, type Storage } from './dtype';
import { RuntimeError, warn } from './errors';
import { contiguousStrides, numelOf, type Shape } from './shape';
import type { Node } from './autograd/node';
import { formatTensor } from './print/formatTensor';

/**
 * The memory behind one or more tensors. Views share it, and with it the version counter that
 * autograd uses to detect in-place changes to saved tensors (PyTorch's VariableVersion).
 */
export class StorageBox {
  version = 0;
  constructor(public data: Storage) {}
}

/** A hook registered with `registerHook`: may return a replacement gradient. */
export type TensorHook = (grad: Tensor) => Tensor | void | undefined | null;

export interface RemovableHandle {
  remove(): void;
}

let nextTensorId = 1;

/** Bits of `Tensor._flags`. */
const CONTIGUOUS = 1;
const REQUIRES_GRAD = 2;
const WRAPPED_NUMBER = 4;

const NONLEAF_GRAD_WARNING =
  'The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute ' +
  "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated " +
  'for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor ' +
  'by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 ' +
  'for more information.';

/**
 * An n-dimensional array with autograd metadata: a strided view (`shape`, `strides`, `offset`)
 * over a shared storage, like a PyTorch tensor.
 *
 * Ops are added to this class by the op modules (see `ops/`), each next to its definition.
 */
export class Tensor {
  /** Unique, increasing id (capture and debugging). */
  readonly id = nextTensorId++;
  readonly shape: readonly number[];
  /** @internal null until first asked for, for tensors created contiguous (see `strides`). */
  private _strides: readonly number[] | null;
  readonly offset: number;
  readonly dtype: DType;
  /** @internal */ _box: StorageBox;
  /** @internal */ _gradFn: Node | null = null;
  /** @internal boolean state as bits (CONTIGUOUS, REQUIRES_GRAD, WRAPPED_NUMBER): see NOTE [Tensor size]. */
  private _flags: number;
  /** @internal rarely set state, allocated on first write (see NOTE [Tensor size]). */
  private _extra: TensorExtras | null = null;

  constructor(box: StorageBox, shape: readonly number[], dtype: DType,
    strides?: readonly number[], offset = 0) {
    this._box = box;
    this.shape = shape;
    this.dtype = dtype;
    this.offset = offset;
    if (strides === undefined) {
      this._strides = null;
      this._flags = CONTIGUOUS;
    } else {
      this._strides = strides;
      this._flags = isContiguousLayout(shape, strides) ? CONTIGUOUS : 0;
    }
  }

  /** @internal whether the elements are laid out row-major from `offset` (fixed at creation). */
  get _contiguous(): boolean {
    return (this._flags & CONTIGUOUS) !== 0;
  }

  /** @internal autograd: set on leaves only; non-leaves require grad through their grad_fn. */
  get _requiresGrad(): boolean {
    return (this._flags & REQUIRES_GRAD) !== 0;
  }
  set _requiresGrad(value: boolean) {
    this._flags = value ? this._flags | REQUIRES_GRAD : this._flags & ~REQUIRES_GRAD;
  }

  /** @internal a Python number wrapped as a 0-dim tensor: ranks last in type promotion. */
  get _wrappedNumber(): boolean {
    return (this._flags & WRAPPED_NUMBER) !== 0;
  }
  set _wrappedNumber(value: boolean) {
    this._flags = value ? this._flags | WRAPPED_NUMBER : this._flags & ~WRAPPED_NUMBER;
  }

  /**
   * Elements to skip per step along each dim. NOTE: computed on first use for tensors created
   * contiguous — most op outputs are only ever read through the contiguous fast paths.
   */
  get strides(): readonly number[] {
    return this._strides ??= contiguousStrides(this.shape);
  }

  // NOTE [Tensor size]: every op allocates a Tensor, and while a graph is alive its tensors are
  // copied by each young-generation GC, so fields only some tensors use (leaves' gradient, hooks
  // and accumulator, views' base, retained grads, names, outputs other than a node's first) live
  // in one side object instead, and the boolean state shares one small-integer field.

  /** @internal index of this tensor among its grad_fn's outputs. */
  get _outputNr(): number {
    return this._extra === null ? 0 : this._extra.outputNr;
  }
  set _outputNr(value: number) {
    if (value !== 0 || this._extra !== null) this.extra().outputNr = value;
  }

  /** @internal the accumulated gradient (see `grad`). */
  get _grad(): Tensor | null {
    return this._extra === null ? null : this._extra.grad;
  }
  set _grad(value: Tensor | null) {
    if (value !== null || this._extra !== null) this.extra().grad = value;
  }

  /** @internal whether `retainGrad()` was called on this non-leaf. */
  get _retainsGrad(): boolean {
    return this._extra !== null && this._extra.retainsGrad;
  }
  set _retainsGrad(value: boolean) {
    if (value || this._extra !== null) this.extra().retainsGrad = value;
  }

  /** @internal hooks of a leaf (run by its AccumulateGrad). */
  get _hooks(): TensorHook[] | null {
    return this._extra === null ? null : this._extra.hooks;
  }
  set _hooks(value: TensorHook[] | null) {
    if (value !== null || this._extra !== null) this.extra().hooks = value;
  }

  /** @internal the AccumulateGrad node of a leaf, created on first use and then reused. */
  get _accumulator(): Node | null {
    return this._extra === null ? null : this._extra.accumulator;
  }
  set _accumulator(value: Node | null) {
    if (value !== null || this._extra !== null) this.extra().accumulator = value;
  }

  /**
   * @internal for differentiable views: the tensor whose storage this views (never itself a view),
   * and how to take the same view of another tensor of the base's shape (used to rewrite history
   * after an in-place op through a view; see autograd/views.ts).
   */
  get _base(): Tensor | null {
    return this._extra === null ? null : this._extra.base;
  }
  set _base(value: Tensor | null) {
    if (value !== null || this._extra !== null) this.extra().base = value;
  }

  /** @internal */
  get _viewReplay(): ((base: Tensor) => Tensor) | null {
    return this._extra === null ? null : this._extra.viewReplay;
  }
  set _viewReplay(value: ((base: Tensor) => Tensor) | null) {
    if (value !== null || this._extra !== null) this.extra().viewReplay = value;
  }

  /** The variable name the script bound this tensor to, when the runner knows it. */
  get name(): string | undefined {
    return this._extra === null ? undefined : this._extra.name;
  }
  set name(value: string | undefined) {
    if (value !== undefined || this._extra !== null) this.extra().name = value;
  }

  private extra(): TensorExtras {
    return this._extra ??= new TensorExtras();
  }

  /** @internal A fresh contiguous tensor over `data` (which it takes ownership of). */
  static _fromData(data: Storage, shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(new StorageBox(data), shape, dtype);
  }

  /** @internal A fresh zero-filled contiguous tensor. */
  static _empty(shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(new StorageBox(allocate(dtype, numelOf(shape))), shape, dtype);
  }

  /** @internal The storage array (shared with views; index it with `offset`/`strides`). */
  get _data(): Storage {
    return this._box.data;
  }

  // ---------------------------------------------------------------- metadata

  /** Number of elements. */
  numel(): number {
    return numelOf(this.shape);
  }

  /** Number of dimensions. */
  dim(): number {
    return this.shape.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** `t.size()` is the shape; `t.size(d)` one dimension (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    const d = dim < 0 ? dim + this.shape.length : dim;
    if (d < 0 || d >= this.shape.length) {
      const n = Math.max(this.shape.length, 1);
      throw new RuntimeError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
    }
    return this.shape[d];
  }

  isContiguous(): boolean {
    return this._contiguous;
  }

  isFloatingPoint(): boolean {
    return isFloating(this.dtype);
  }

  /** @internal version counter shared with views (bumped by in-place ops). */
  get _version(): number {
    return this._box.version;
  }

  // ---------------------------------------------------------------- autograd attributes

  /** The autograd node that created this tensor (`grad_fn`), or null for leaves. */
  get gradFn(): Node | null {
    return this._gradFn;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad || this._gradFn !== null;
  }

  set requiresGrad(value: boolean) {
    this._setRequiresGrad(value);
  }

  /** True for tensors not created by a differentiable op (inputs, parameters, detached values). */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  /** `requires_grad_()`: sets requiresGrad in place and returns this tensor. */
  requiresGrad_(requiresGrad = true): this {
    this._setRequiresGrad(requiresGrad);
    return this;
  }

  private _setRequiresGrad(value: boolean): void {
    if (this._gradFn !== null) {
      if (value) return;
      throw new RuntimeError(
        'you can only change requires_grad flags of leaf variables. If you want to use a computed ' +
        "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    }
    if (value && !isFloating(this.dtype)) {
      throw new RuntimeError('only Tensors of floating point dtype can require gradients');
    }
    this._requiresGrad = value;
  }

  /** The gradient accumulated by `backward()` (leaves, and non-leaves after `retainGrad()`). */
  get grad(): Tensor | null {
    if (this._gradFn !== null && !this._retainsGrad && this._grad === null) {
      warn(NONLEAF_GRAD_WARNING, true);
    }
    return this._grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null) {
      if (value.dtype !== this.dtype) {
        throw new RuntimeError('assigned grad has data of a different type');
      }
      if (value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
        throw new RuntimeError('assigned grad has data of a different size');
      }
    }
    this._grad = value;
  }

  /** Whether `retainGrad()` was called (leaves report false, as in PyTorch). */
  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  // ---------------------------------------------------------------- element access

  /** @internal Storage index of the element at row-major logical index `i`. */
  _storageIndex(i: number): number {
    if (this._contiguous) return this.offset + i;
    let rem = i;
    let idx = this.offset;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      const size = this.shape[d];
      const q = Math.floor(rem / size);
      idx += (rem - q * size) * this.strides[d];
      rem = q;
    }
    return idx;
  }

  /** @internal Element at row-major logical index `i` (bool as 0/1). */
  _get(i: number): number {
    return this._box.data[this._storageIndex(i)];
  }

  /**
   * The elements in row-major order as a fresh array of the storage's type
   * (a copy: writing to it never changes the tensor).
   */
  _toArray(): Storage {
    const n = this.numel();
    if (this._contiguous) return this._box.data.slice(this.offset, this.offset + n);
    const out = allocate(this.dtype, n);
    if (n > 0) gatherStrided(this._box.data, this.offset, this.shape, this.strides, out);
    return out;
  }

  /** The value of a one-element tensor as a JavaScript number (boolean for bool tensors). */
  item(): number;
  item(): number | boolean {
    const n = this.numel();
    if (n !== 1) {
      throw new RuntimeError(`a Tensor with ${n} elements cannot be converted to Scalar`);
    }
    const v = this._get(0);
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  /** Nested arrays of numbers (booleans for bool tensors), like `t.tolist()`. */
  tolist(): unknown {
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    if (this.shape.length === 0) return conv(this._get(0));
    let i = 0;
    const build = (d: number): unknown[] => {
      const out: unknown[] = [];
      for (let k = 0; k < this.shape[d]; k++) {
        out.push(d === this.shape.length - 1 ? conv(this._get(i++)) : build(d + 1));
      }
      return out;
    };
    return build(0);
  }

  // ---------------------------------------------------------------- printing

  /** Exactly what `print(t)` prints in PyTorch. */
  toString(): string {
    return formatTensor({
      dtype: this.dtype,
      shape: this.shape,
      get: (i) => this._get(i),
      requiresGrad: this.requiresGrad,
      gradFnName: this._gradFn ? this._gradFn.name : null,
    });
  }

  /** Node's console.log / util.inspect use this, so `console.log(t)` prints like `print(t)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'Tensor';
  }
}

/**
 * Copies the elements of a strided view into `out` in row-major order: the innermost dim as a
 * tight loop, the outer dims as an odometer (a transposed gradient is copied at memory speed,
 * not through a division per element).
 */
function gatherStrided(src: Storage, offset: number, shape: readonly number[], strides: readonly number[], out: Storage): void {
  const nd = shape.length;
  if (nd === 2 && strides[0] === 1 && shape[0] > 1) {
    transposeCopy(src, offset, shape[0], shape[1], strides[1], out);
    return;
  }
  const inner = shape[nd - 1];
  const innerStride = strides[nd - 1];
  const outer = out.length / inner;
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  let k = 0;
  for (let row = 0; row < outer; row++) {
    for (let j = 0, p = base; j < inner; j++, p += innerStride) out[k++] = src[p];
    for (let d = nd - 2; d >= 0; d--) {
      base += strides[d];
      if (++idx[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/**
 * out[i·cols + j] = src[offset + j·ld + i] (a transposed matrix made contiguous), in 32×32 tiles
 * so that both the reads and the writes stay within a few cache lines.
 */
function transposeCopy(src: Storage, offset: number, rows: number, cols: number, ld: number, out: Storage): void {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(j0 + T, cols);
      for (let j = j0; j < j1; j++) {
        const s = offset + j * ld;
        for (let i = i0; i < i1; i++) out[i * cols + j] = src[s + i];
      }
    }
  }
}

/** See NOTE [Tensor size]. */
class TensorExtras {
  outputNr = 0;
  grad: Tensor | null = null;
  retainsGrad = false;
  hooks: TensorHook[] | null = null;
  accumulator: Node | null = null;
  base: Tensor | null = null;
  viewReplay: ((base: Tensor) => Tensor) | null = null;
  name: string | undefined = undefined;
}

function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
