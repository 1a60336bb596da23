import { legacyTypeName } from '../dtype';
import { pyRepr } from '../print/pyFloat';
import { Tensor } from '../tensor';

/**
 * Python's `repr` of the values module reprs and messages embed (`bias=True`, `eps=1e-05`,
 * `dim=None`, `approximate='none'`, `(3, 4)`).
 *
 * NOTE: JavaScript has one number type. An integral number prints as a Python int (`p=1`), any
 * other as a Python float (`p=0.5`, `eps=1e-05`); `pyFloat` forces float formatting (`beta=1.0`)
 * for attributes whose PyTorch default is a float.
 */
export function pyValue(x: unknown): string {
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : pyRepr(x);
  if (typeof x === 'string') return pyStr(x);
  if (Array.isArray(x)) return pyTuple(x);
  return String(x);
}

/** `repr(float(x))`: `1.0`, `20.0`, `1e-05`. */
export function pyFloat(x: number): string {
  return pyRepr(x);
}

/** `repr(tuple(xs))`: `(4,)`, `(3, 4)`, `()`. */
export function pyTuple(xs: readonly unknown[]): string {
  if (xs.length === 1) return `(${pyValue(xs[0])},)`;
  return `(${xs.map(pyValue).join(', ')})`;
}

/** `repr(str)` for the simple strings modules hold. */
export function pyStr(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `torch.typename(value)`: `torch.FloatTensor` for tensors, else the Python-ish type name. */
export function typeName(value: unknown): string {
  if (value instanceof Tensor) return legacyTypeName(value.dtype);
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  return ctor?.name || typeof value;
}

/** PyTorch's `_addindent`: indents every line but the first by `spaces`. */
export function addIndent(s: string, spaces: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}
