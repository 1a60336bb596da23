/** Short number and shape formatting for the page (the full values use PyTorch's printed text). */

/** torchviz's size text: `(5, 3)`, `(3)`, `()`. */
export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}

/** A compact number: 4 significant digits, exponent when far from 1. */
export function num(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

export function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A count with thousands separators (`1,234,567`), the same in every locale. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
