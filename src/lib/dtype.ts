/**
 * Element types. Storage per dtype:
 * - float32 → Float32Array (the default dtype, as in PyTorch)
 * - float64 → Float64Array
 * - int64   → Float64Array holding integral values. NOTE: exact within ±2^53, which covers
 *             every index, count and label a script builds; BigInt64Array would make every
 *             integer op an order of magnitude slower.
 * - bool    → Uint8Array of 0/1
 */
export type DType = 'float32' | 'float64' | 'int64' | 'bool';

export type Storage = Float32Array | Float64Array | Uint8Array;

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function allocate(dtype: DType, n: number): Storage {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int64': return new Float64Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

/** Python's name for the dtype, as PyTorch prints it (`torch.float64`). */
export function torchName(dtype: DType): string {
  return `torch.${dtype}`;
}

/** The legacy tensor-type name used in some PyTorch messages (`torch.FloatTensor`). */
export function legacyTypeName(dtype: DType): string {
  switch (dtype) {
    case 'float32': return 'torch.FloatTensor';
    case 'float64': return 'torch.DoubleTensor';
    case 'int64': return 'torch.LongTensor';
    case 'bool': return 'torch.BoolTensor';
  }
}

/** PyTorch's scalar-type name used in messages like `expected scalar type Long but found Float`. */
export function scalarTypeName(dtype: DType): string {
  switch (dtype) {
    case 'float32': return 'Float';
    case 'float64': return 'Double';
    case 'int64': return 'Long';
    case 'bool': return 'Bool';
  }
}
