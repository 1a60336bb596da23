import { castScalar } from './promote';
import { IndexError, ValueError } from '../errors';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { expandMasks, index, indexPutDef } from './advancedIndex';
import { inplace } from './inplace';
import { run1 } from './registry';
import { selectDef, sliceDim } from './indexing';
import { alias, expand, unsqueeze, view } from './shapeOps';

/**
 * `t.index(...keys)` (Python's `t[keys]`) and `t.indexPut_(keys, value)` (`t[keys] = value`),
 * following PyTorch's python_variable_indexing.cpp / TensorIndexing.h step by step, so the same
 * keys give the same views and the same nodes: integers select (SelectBackward0), slices slice
 * (SliceBackward0; a full `:` inside a tuple is skipped), None unsqueezes, `...` skips dims, and
 * tensors / int arrays / masks are gathered at the end in one IndexBackward0.
 */

/** Python's `slice(start, stop, step)`; entries may be null. */
export class Slice {
  constructor(readonly start: number | null, readonly stop: number | null, readonly step: number | null) {}
  toString(): string {
    return `slice(${this.start ?? 'None'}, ${this.stop ?? 'None'}, ${this.step ?? 'None'})`;
  }
}

/**
 * `torch.slice(stop)` / `torch.slice(start, stop, step?)`, like Python's builtin `slice`
 * (a single argument is the stop). Strings do the same: `'1:3'`, `'::2'`, `':'`.
 */
export function slice(startOrStop?: number | null, stop?: number | null, step?: number | null): Slice {
  if (stop === undefined && step === undefined) return new Slice(null, startOrStop ?? null, null);
  return new Slice(startOrStop ?? null, stop ?? null, step ?? null);
}

type NestedIndexArray = readonly (number | boolean | NestedIndexArray)[];
/** One entry of an index tuple. */
export type IndexKey = number | boolean | string | Slice | null | Tensor | NestedIndexArray;

type Key =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'tensor'; tensor: Tensor };

const VALID_INDICES =
  'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices';

const SLICE_SYNTAX = /^\s*(-?\d+|None)?\s*:\s*(-?\d+|None)?\s*(?::\s*(-?\d+|None)?\s*)?$/;

/** Parsed slice strings (scripts index with a few literal strings, over and over). */
const sliceStringCache = new Map<string, Key>();
const SLICE_CACHE_LIMIT = 256;

function sliceBound(x: string | undefined): number | null {
  return x === undefined || x === 'None' ? null : Number(x);
}

function parseSliceString(s: string): Key {
  const cached = sliceStringCache.get(s);
  if (cached) return cached;
  const m = SLICE_SYNTAX.exec(s);
  if (!m) {
    throw new IndexError(`${VALID_INDICES} (got str '${s}'; write slices like '1:3', '::2' or ':', and '...')`);
  }
  const key = sliceKey(sliceBound(m[1]), sliceBound(m[2]), sliceBound(m[3]));
  if (sliceStringCache.size >= SLICE_CACHE_LIMIT) sliceStringCache.clear();
  sliceStringCache.set(s, key);
  return key;
}

function sliceKey(start: number | null, stop: number | null, step: number | null): Key {
  if (step === 0) throw new ValueError('slice step cannot be zero');
  return { kind: 'slice', start, stop, step };
}

function parseKey(k: IndexKey): Key {
  if (k === null) return { kind: 'none' };
  if (typeof k === 'boolean') return { kind: 'bool', value: k };
  if (typeof k === 'number') {
    if (!Number.isInteger(k)) throw new IndexError(`${VALID_INDICES} (got float)`);
    return { kind: 'int', value: k };
  }
  if (typeof k === 'string') return k.trim() === '...' ? { kind: 'ellipsis' } : parseSliceString(k);
  if (k instanceof Slice) return sliceKey(k.start, k.stop, k.step);
  if (k instanceof Tensor) return { kind: 'tensor', tensor: k };
  if (Array.isArray(k)) return { kind: 'tensor', tensor: indexTensorFromArray(k) };
  throw new IndexError(`${VALID_INDICES} (got ${typeof k})`);
}

/** A Python list used as an index becomes a tensor (int64, or bool when all entries are booleans). */
function indexTensorFromArray(a: NestedIndexArray): Tensor {
  const shape: number[] = [];
  for (let level: unknown = a; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: (number | boolean)[] = [];
  const walk = (x: NestedIndexArray, d: number): void => {
    if (x.length !== shape[d]) throw new ValueError(`expected sequence of length ${shape[d]} at dim ${d} (got ${x.length})`);
    for (const v of x) {
      if (Array.isArray(v)) walk(v, d + 1);
      else if (d !== shape.length - 1) throw new ValueError(`expected a sequence at dim ${d + 1}`);
      else flat.push(v as number | boolean);
    }
  };
  walk(a, 0);
  const isBool = flat.length > 0 && flat.every((v) => typeof v === 'boolean');
  if (!isBool && !flat.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new IndexError('tensors used as indices must be long, int, byte or bool tensors');
  }
  const dtype = isBool ? 'bool' : 'int64';
  const data = isBool ? Uint8Array.from(flat, (v) => (v ? 1 : 0)) : Float64Array.from(flat as number[]);
  return Tensor._fromData(data, shape, dtype);
}

/** `True` as an index: a new dim of size 1 indexed by [0]; `False`: indexed by []. */
function boolIndexTensor(value: boolean): Tensor {
  return Tensor._fromData(new Float64Array(value ? 1 : 0), [value ? 1 : 0], 'int64');
}

function applySelect(self: Tensor, dim: number, idx: number, realDim: number): Tensor {
  if (self.shape.length === 0) {
    throw new IndexError(
      'invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ ' +
      'to convert a 0-dim tensor to a number');
  }
  const size = self.shape[dim];
  if (!(size >= -idx && size > idx)) {
    throw new IndexError(`index ${idx} is out of bounds for dimension ${realDim} with size ${size}`);
  }
  return run1(selectDef, [self], { dim, index: idx < 0 ? idx + size : idx });
}

/** A slice key on one dim; inside a tuple a slice covering the whole dim is skipped (no node). */
function applySlice(self: Tensor, dim: number, key: Extract<Key, { kind: 'slice' }>, disableOptimization: boolean): Tensor {
  const step = key.step ?? 1;
  if (step <= 0) throw new ValueError('step must be greater than zero');
  const start = key.start ?? 0;
  const stop = key.stop ?? Number.MAX_SAFE_INTEGER;
  if (!disableOptimization && start === 0 && self.shape[dim] <= stop && step === 1) return self;
  return sliceDim(self, dim, start, key.stop, step);
}

function countSpecifiedDims(keys: readonly Key[]): number {
  let n = 0;
  for (const k of keys) {
    if (k.kind === 'tensor') n += k.tensor.dtype === 'bool' ? k.tensor.shape.length : 1;
    else if (k.kind === 'int' || k.kind === 'slice') n++;
  }
  return n;
}

/** Puts a tensor key at result dim `dim` (nulls before it); returns the next dim. */
function recordTensorIndex(tensors: (Tensor | null)[], dim: number, t: Tensor): number {
  while (tensors.length < dim) tensors.push(null);
  tensors[dim] = t;
  return dim + 1;
}

/** Basic indexing left to right; tensor keys are collected (by result dim) for one `index` at the end. */
function applySlicing(self: Tensor, keys: readonly Key[]): { result: Tensor; tensors: (Tensor | null)[] } {
  const specified = countSpecifiedDims(keys);
  if (specified > self.shape.length) {
    throw new IndexError(`too many indices for tensor of dimension ${self.shape.length}`);
  }
  if (keys.filter((k) => k.kind === 'ellipsis').length > 1) {
    throw new IndexError("an index can only have a single ellipsis ('...')");
  }
  const tensors: (Tensor | null)[] = [];
  let result = self;
  let dim = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    switch (k.kind) {
      case 'int':
        result = applySelect(result, dim, k.value, i);
        break;
      case 'slice':
        result = applySlice(result, dim, k, false);
        dim++;
        break;
      case 'ellipsis':
        dim += self.shape.length - specified;
        break;
      case 'none':
        result = unsqueeze(result, dim);
        dim++;
        break;
      case 'bool':
        result = unsqueeze(result, dim);
        dim = recordTensorIndex(tensors, dim, boolIndexTensor(k.value));
        break;
      case 'tensor': {
        const t = k.tensor;
        if (t.shape.length === 0 && t.dtype === 'int64') {
          result = applySelect(result, dim, t.item(), i);
        } else if (t.shape.length === 0 && t.dtype === 'bool') {
          result = unsqueeze(result, dim);
          dim = recordTensorIndex(tensors, dim, boolIndexTensor(t._get(0) !== 0));
        } else {
          dim = recordTensorIndex(tensors, dim, t);
        }
        break;
      }
    }
  }
  return { result, tensors };
}

/** `self[keys]` */
export function getItem(self: Tensor, rawKeys: readonly IndexKey[]): Tensor {
  const keys = rawKeys.map(parseKey);
  if (keys.length === 1) {
    const k = keys[0];
    switch (k.kind) {
      case 'int': return applySelect(self, 0, k.value, 0);
      case 'slice': return applySlice(self, 0, k, true);
      case 'none': return unsqueeze(self, 0);
      case 'ellipsis': return alias(self);
      case 'bool': return index(unsqueeze(self, 0), [boolIndexTensor(k.value)]);
      case 'tensor': break;
    }
  }
  const { result, tensors } = applySlicing(self, keys);
  if (tensors.length === 0) return result === self ? alias(self) : result;
  return index(result, tensors);
}

export interface IndexPutOptions {
  /** Add the values at repeated indices instead of writing the last one (tensor indices only). */
  accumulate?: boolean;
}

/** `self[keys] = value`: returns self. */
export function setItem(self: Tensor, rawKeys: readonly IndexKey[], value: Tensor | number | boolean,
  options: IndexPutOptions = {}): Tensor {
  const keys = rawKeys.map(parseKey);
  if (keys.length === 1) {
    const k = keys[0];
    switch (k.kind) {
      case 'bool':
        if (!k.value) return self;
        copyTo(unsqueeze(self, 0), value);
        return self;
      case 'ellipsis': copyTo(self, value); return self;
      case 'none': copyTo(unsqueeze(self, 0), value); return self;
      case 'int': copyTo(applySelect(self, 0, k.value, 0), value); return self;
      case 'slice': copyTo(applySlice(self, 0, k, false), value); return self;
      case 'tensor': break;
    }
  }
  const { result, tensors } = applySlicing(self, keys);
  if (tensors.length === 0) {
    copyTo(result, value);
    return self;
  }
  let values = typeof value === 'object' ? value : scalarTensor(value, self);
  const stripped = stripLeadingOnes(values.shape);
  if (stripped.length !== values.shape.length) values = view(values, stripped);
  if (values.dtype !== self.dtype) values = values.to(self.dtype);
  inplace(indexPutDef, result, [result, values],
    { indices: expandMasks(result, tensors), accumulate: options.accumulate ?? false });
  return self;
}

function scalarTensor(v: number | boolean, like: Tensor): Tensor {
  const data = new (like._data.constructor as Float64ArrayConstructor)(1);
  data[0] = castScalar(Number(v), like.dtype);
  return Tensor._fromData(data, [], like.dtype);
}

function stripLeadingOnes(shape: readonly number[]): number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** PyTorch's copy_to: same shape → copy_, a number → fill_, else broadcast (leading 1s dropped) and copy_. */
function copyTo(dst: Tensor, value: Tensor | number | boolean): void {
  if (typeof value !== 'object') {
    dst.fill_(value);
    return;
  }
  if (value.shape.length === 0 || formatShape(value.shape) === formatShape(dst.shape)) {
    dst.copy_(value);
    return;
  }
  const stripped = stripLeadingOnes(value.shape);
  const src = stripped.length === value.shape.length ? value : view(value, stripped);
  dst.copy_(expand(src, dst.shape));
}

declare module '../tensor' {
  interface Tensor {
    /**
     * Python's `t[keys]`: numbers, slices as strings (`'1:3'`, `'::2'`, `':'`) or `torch.slice(...)`,
     * `'...'`, null (new axis), int64 / bool tensors and int arrays.
     */
    index(...keys: IndexKey[]): Tensor;
    /**
     * Python's `t[keys] = value` (in place; returns this). An array of keys is the index tuple:
     * `t.indexPut_([0, ':'], v)` is `t[0, :] = v`; `t.indexPut_([[0, 2]], v)` is `t[[0, 2]] = v`.
     */
    indexPut_(keys: IndexKey | readonly IndexKey[], value: Tensor | number | boolean, options?: IndexPutOptions): Tensor;
  }
}
const proto = Tensor.prototype;
proto.index = function (...keys) { return getItem(this, keys); };
proto.indexPut_ = function (keys, value, options) {
  return setItem(this, Array.isArray(keys) ? keys as readonly IndexKey[] : [keys as IndexKey], value, options);
};
