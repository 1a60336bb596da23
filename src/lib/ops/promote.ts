import { allocate, isFloating, type DType } from '../dtype';
import { Tensor } from '../tensor';

/** A Python number: JavaScript numbers and booleans passed where PyTorch takes a Scalar. */
export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;

/** Default floating dtype (`torch.get_default_dtype()`). */
let defaultFloat: DType = 'float32';
export function defaultDtype(): DType {
  return defaultFloat;
}
export function setDefaultDtype(d: DType): void {
  if (!isFloating(d)) throw new TypeError('only floating-point types are supported as the default type');
  defaultFloat = d;
}

const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };

export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The dtype of a Python number: booleans are bool, integral numbers int64 (like Python ints),
 * others float. NOTE: JavaScript has no separate float literal, so `2.0` is `2` and infers int64
 * exactly as the Python int `2` would; pass a dtype to get floats.
 */
export function scalarDtype(x: Scalar): DType {
  if (typeof x === 'boolean') return 'bool';
  return Number.isInteger(x) ? 'int64' : 'float64';
}

/**
 * PyTorch's result_type: tensors with dims outrank 0-dim tensors, which outrank Python numbers;
 * a lower-priority operand only matters when it is of a higher category (bool < int < float).
 */
export function resultType(operands: readonly TensorOrScalar[]): DType {
  let dim: DType | undefined;
  let zero: DType | undefined;
  let wrapped: DType | undefined;
  for (const o of operands) {
    if (o instanceof Tensor && !o._wrappedNumber) {
      if (o.shape.length > 0) dim = dim ? promoteTypes(dim, o.dtype) : o.dtype;
      else zero = zero ? promoteTypes(zero, o.dtype) : o.dtype;
    } else {
      let d = o instanceof Tensor ? o.dtype : scalarDtype(o);
      if (isFloating(d)) d = defaultFloat;
      wrapped = wrapped ? promoteTypes(wrapped, d) : d;
    }
  }
  return combineCategories(dim, combineCategories(zero, wrapped)) ?? defaultFloat;
}

function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined) return higher;
  if (isFloating(higher)) return higher;
  if (higher === 'bool' || isFloating(lower)) return promoteTypes(higher, lower);
  return higher;
}

/** Rounds a number to what `dtype` can hold (float32 rounding, int truncation, bool). */
export function castScalar(x: number, dtype: DType): number {
  switch (dtype) {
    case 'float32': return Math.fround(x);
    case 'float64': return x;
    case 'int64': return Math.trunc(x);
    case 'bool': return x !== 0 ? 1 : 0;
  }
}

/** A Python number as a 0-dim tensor of the op's computation dtype (`wrapped_scalar_tensor`). */
export function wrapScalar(x: Scalar, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = castScalar(typeof x === 'boolean' ? (x ? 1 : 0) : x, dtype);
  const t = Tensor._fromData(data, [], dtype);
  t._wrappedNumber = true;
  return t;
}

/** A copy of `t` converted to `dtype` (no autograd; used by kernels and the engine). */
export function castRaw(t: Tensor, dtype: DType): Tensor {
  const n = t.numel();
  const out = allocate(dtype, n);
  // Row-major values without a per-element index computation (strided views are gathered first).
  const src = t._contiguous ? t._data : t._toArray();
  const o = t._contiguous ? t.offset : 0;
  switch (dtype) {
    case 'float32':
    case 'float64':
      // The typed array rounds (float32) or keeps (float64) each value as castScalar would.
      for (let i = 0; i < n; i++) out[i] = src[o + i];
      break;
    case 'int64':
      for (let i = 0; i < n; i++) out[i] = Math.trunc(src[o + i]);
      break;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = src[o + i] !== 0 ? 1 : 0;
      break;
  }
  return Tensor._fromData(out, t.shape, dtype);
}
