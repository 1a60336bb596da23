import { allocate, isFloating, type DType } from '../dtype';
import { RuntimeError, TypeError_ } from '../errors';
import { numelOf } from '../shape';
import { Tensor } from '../tensor';
import { _setZerosFactory, notifyCreated } from './registry';
import { castScalar, defaultDtype, scalarDtype, type Scalar } from './promote';

export interface FactoryOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** Sizes as PyTorch takes them (`f(2, 3)`, `f([2, 3])`), optionally followed by options. */
export type SizeArgs = (number | readonly number[] | FactoryOptions)[];

export function parseSizeArgs(args: SizeArgs): { shape: number[]; options: FactoryOptions } {
  let options: FactoryOptions = {};
  let rest = args;
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    options = last as FactoryOptions;
    rest = args.slice(0, -1);
  }
  let shape: number[];
  if (rest.length === 1 && Array.isArray(rest[0])) shape = (rest[0] as number[]).slice();
  else shape = rest as number[];
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d)) {
      throw new TypeError_(`size must be a list of integers, got ${JSON.stringify(shape)}`);
    }
    if (d < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${d}: [${shape.join(', ')}]`);
  }
  return { shape, options };
}

/** Applies `requiresGrad` to a new leaf, with PyTorch's check on the dtype. */
export function finishLeaf(t: Tensor, options: FactoryOptions): Tensor {
  if (options.requiresGrad) {
    if (!isFloating(t.dtype)) {
      throw new RuntimeError('Only Tensors of floating point and complex dtype can require gradients');
    }
    t._requiresGrad = true;
  }
  return t;
}

function filled(op: string, shape: number[], value: number, dtype: DType, options: FactoryOptions): Tensor {
  const data = allocate(dtype, numelOf(shape));
  if (value !== 0) data.fill(castScalar(value, dtype));
  return notifyCreated(op, finishLeaf(Tensor._fromData(data, shape, dtype), options));
}

/** `torch.zeros(*size)` */
export function zeros(...args: SizeArgs): Tensor {
  const { shape, options } = parseSizeArgs(args);
  return filled('zeros', shape, 0, options.dtype ?? defaultDtype(), options);
}

/** `torch.ones(*size)` */
export function ones(...args: SizeArgs): Tensor {
  const { shape, options } = parseSizeArgs(args);
  return filled('ones', shape, 1, options.dtype ?? defaultDtype(), options);
}

/** `torch.empty(*size)`: zero-filled here (JavaScript arrays are always initialised). */
export function empty(...args: SizeArgs): Tensor {
  const { shape, options } = parseSizeArgs(args);
  return filled('empty', shape, 0, options.dtype ?? defaultDtype(), options);
}

/** `torch.full(size, fillValue)`: the dtype follows the value (an integral number gives int64). */
export function full(size: readonly number[], fillValue: Scalar, options: FactoryOptions = {}): Tensor {
  const { shape } = parseSizeArgs([size]);
  const dtype = options.dtype ?? leafDtype(inferDtype(scalarDtype(fillValue)), options);
  return filled('full', shape, Number(fillValue), dtype, options);
}

function inferDtype(d: DType): DType {
  return d === 'float64' ? defaultDtype() : d;
}

/**
 * The dtype of a new leaf whose values would make it int64. JavaScript has no float literal, so
 * `torch.tensor([1, 2], { requiresGrad: true })` is how one writes Python's
 * `torch.tensor([1., 2.], requires_grad=True)`: asking for gradients without a dtype means the
 * default float dtype (PyTorch would only have raised "Only Tensors of floating point…").
 */
function leafDtype(inferred: DType, options: FactoryOptions): DType {
  return inferred === 'int64' && options.requiresGrad === true ? defaultDtype() : inferred;
}

export interface LikeOptions extends FactoryOptions {}

export function zerosLike(t: Tensor, options: LikeOptions = {}): Tensor {
  return filled('zerosLike', t.shape.slice(), 0, options.dtype ?? t.dtype, options);
}
export function onesLike(t: Tensor, options: LikeOptions = {}): Tensor {
  return filled('onesLike', t.shape.slice(), 1, options.dtype ?? t.dtype, options);
}
export function fullLike(t: Tensor, fillValue: Scalar, options: LikeOptions = {}): Tensor {
  return filled('fullLike', t.shape.slice(), Number(fillValue), options.dtype ?? t.dtype, options);
}
export function emptyLike(t: Tensor, options: LikeOptions = {}): Tensor {
  return filled('emptyLike', t.shape.slice(), 0, options.dtype ?? t.dtype, options);
}

/** `torch.eye(n, m)` */
export function eye(n: number, m?: number | FactoryOptions, options: FactoryOptions = {}): Tensor {
  if (typeof m === 'object') { options = m; m = undefined; }
  const cols = m ?? n;
  const dtype = options.dtype ?? defaultDtype();
  const data = allocate(dtype, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) data[i * cols + i] = 1;
  return notifyCreated('eye', finishLeaf(Tensor._fromData(data, [n, cols], dtype), options));
}

/** `torch.arange(end)` / `torch.arange(start, end, step)`: int64 when all arguments are integral. */
export function arange(start: number, end?: number | FactoryOptions, step?: number | FactoryOptions,
  options: FactoryOptions = {}): Tensor {
  if (typeof end === 'object') { options = end; end = undefined; }
  if (typeof step === 'object') { options = step; step = undefined; }
  let lo = start, hi = end as number | undefined, st = (step as number | undefined) ?? 1;
  if (hi === undefined) { hi = lo; lo = 0; }
  if (st === 0) throw new RuntimeError('step must be nonzero');
  if ((st > 0 && hi < lo) || (st < 0 && hi > lo)) {
    throw new RuntimeError('upper bound and larger bound inconsistent with step sign');
  }
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(st);
  const dtype = options.dtype ?? leafDtype(allInt ? 'int64' : defaultDtype(), options);
  const n = Math.ceil((hi - lo) / st);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = castScalar(lo + i * st, dtype);
  return notifyCreated('arange', finishLeaf(Tensor._fromData(data, [n], dtype), options));
}

/**
 * `torch.linspace(start, end, steps)`. NOTE: like ATen's CPU kernel, the first half counts up from
 * `start` and the second half down from `end`, so both endpoints are exact.
 */
export function linspace(start: number, end: number, steps: number, options: FactoryOptions = {}): Tensor {
  if (steps < 0) throw new RuntimeError('number of steps must be non-negative');
  const dtype = options.dtype ?? defaultDtype();
  const data = allocate(dtype, steps);
  if (steps === 1) data[0] = castScalar(start, dtype);
  else if (steps > 1) {
    const f32 = dtype === 'float32';
    const s = f32 ? Math.fround(start) : start;
    const e = f32 ? Math.fround(end) : end;
    const step = f32 ? Math.fround((e - s) / (steps - 1)) : (e - s) / (steps - 1);
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) {
      const v = i < half ? s + step * i : e - step * (steps - i - 1);
      data[i] = castScalar(f32 ? Math.fround(v) : v, dtype);
    }
  }
  return notifyCreated('linspace', finishLeaf(Tensor._fromData(data, [steps], dtype), options));
}

/** Nested arrays of numbers/booleans, typed arrays, or a number. */
export type TensorData = number | boolean | readonly TensorData[] | Float32Array | Float64Array;

/**
 * `torch.tensor(data)`: copies `data` into a new leaf. The dtype is inferred like PyTorch's:
 * all booleans → bool, all integral numbers → int64, otherwise the default float dtype.
 */
export function tensor(data: TensorData | Tensor, options: FactoryOptions = {}): Tensor {
  let t: Tensor;
  if (data instanceof Tensor) {
    const dtype = options.dtype ?? data.dtype;
    const src = data._toArray();
    const out = allocate(dtype, src.length);
    for (let i = 0; i < src.length; i++) out[i] = castScalar(src[i], dtype);
    t = Tensor._fromData(out, data.shape.slice(), dtype);
  } else {
    const shape: number[] = [];
    const flat: number[] = [];
    let kind = 0; // 0 bool, 1 int, 2 float
    let sawNumber = false;
    const walk = (x: TensorData, depth: number): void => {
      if (typeof x === 'number' || typeof x === 'boolean') {
        if (depth !== shape.length) throw new ValueErrorShape();
        if (typeof x === 'boolean') flat.push(x ? 1 : 0);
        else {
          sawNumber = true;
          if (!Number.isInteger(x)) kind = 2;
          else if (kind < 1) kind = 1;
          flat.push(x);
        }
        return;
      }
      if (x instanceof Float32Array || x instanceof Float64Array) {
        if (depth === shape.length) shape.push(x.length);
        else if (shape[depth] !== x.length) throw new ValueErrorShape();
        if (depth + 1 !== shape.length && depth !== shape.length - 1) throw new ValueErrorShape();
        kind = 2;
        sawNumber = true;
        for (let i = 0; i < x.length; i++) flat.push(x[i]);
        return;
      }
      const arr = x as readonly TensorData[];
      if (depth === shape.length) shape.push(arr.length);
      else if (shape[depth] !== arr.length) throw new ValueErrorShape();
      for (const item of arr) walk(item, depth + 1);
    };
    walk(data, 0);
    if (!sawNumber && kind === 0 && flat.length === 0 && shape.length > 0) kind = 2; // tensor([]) is float
    const inferred: DType = kind === 2 ? defaultDtype() : kind === 1 ? 'int64' : (sawNumber ? 'int64' : 'bool');
    const dtype = options.dtype ?? (data instanceof Float64Array ? 'float64' : leafDtype(inferred, options));
    const out = allocate(dtype, flat.length);
    for (let i = 0; i < flat.length; i++) out[i] = castScalar(flat[i], dtype);
    t = Tensor._fromData(out, shape, dtype);
  }
  return notifyCreated('tensor', finishLeaf(t, options));
}

class ValueErrorShape extends RuntimeError {
  constructor() { super('expected sequence of equal-length lists (ragged nested list)'); }
}

/** `torch.scalar_tensor(x)` */
export function scalarTensor(x: Scalar, options: FactoryOptions = {}): Tensor {
  return tensor(x, options);
}

_setZerosFactory((meta) => Tensor._empty(meta.shape, meta.dtype));
