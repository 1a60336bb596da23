/**
 * Helpers shared by the nn / optim tests: reading the oracle files and fixture tensors, and
 * comparing results bit for bit or within the oracle's tolerance.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Tensor } from '../../../src/lib/index';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const ORACLE_DIR = process.env.GRADSCOPE_ORACLE_DIR ?? resolve(REPO_ROOT, '../shared/oracle');

export interface FixtureTensor {
  dtype: 'float32' | 'float64' | 'int64' | 'bool';
  shape: number[];
  data: (number | string | boolean)[];
  bits?: string[];
}

export function loadOracle<T>(file: string): T[] {
  return JSON.parse(readFileSync(join(ORACLE_DIR, file), 'utf8')) as T[];
}

export function oracleCase<T extends { id: string }>(file: string, id: string): T {
  const c = loadOracle<T>(file).find((x) => x.id === id);
  if (c === undefined) throw new Error(`${file} has no case ${id}`);
  return c;
}

export function numbersOf(t: FixtureTensor): number[] {
  return t.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : Number(v)));
}

/** A fresh contiguous leaf with the fixture's values. */
export function tensorFrom(t: FixtureTensor, requiresGrad = false): Tensor {
  const values = numbersOf(t);
  const data = t.dtype === 'float32' ? Float32Array.from(values) : t.dtype === 'bool' ? Uint8Array.from(values) : Float64Array.from(values);
  const out = Tensor._fromData(data, t.shape.slice(), t.dtype);
  if (requiresGrad) out.requiresGrad_(true);
  return out;
}

/** float32 bit pattern of a number, lowercase hex (the fixtures' `bits`). */
export function f32Bits(x: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0).toString(16).padStart(8, '0');
}

/** Exact equality of every element's bit pattern, reporting the first differences. */
export function assertBitsEqual(actual: Tensor, expected: FixtureTensor, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.ok(expected.bits, `${what}: fixture has no bits`);
  const got = Array.from(actual._toArray(), f32Bits);
  const bad = got.map((b, i) => (b === expected.bits![i] ? -1 : i)).filter((i) => i >= 0);
  assert.equal(bad.length, 0,
    `${what}: ${bad.length}/${got.length} elements differ, first at ${bad[0]}: got ${got[bad[0]]} (${actual._get(bad[0])}) ` +
    `expected ${expected.bits![bad[0]]} (${expected.data[bad[0]]})`);
}

/** `|got - exp| <= atol + rtol·|exp|` elementwise (NaN matches NaN, infinities exactly). */
export function assertClose(actual: Tensor | ArrayLike<number>, expected: FixtureTensor | ArrayLike<number>,
  tol: { rtol: number; atol: number }, what: string): void {
  const got = actual instanceof Tensor ? Array.from(actual._toArray()) : Array.from(actual);
  const exp = 'data' in expected && !(expected instanceof Float32Array) && !Array.isArray(expected)
    ? numbersOf(expected as FixtureTensor) : Array.from(expected as ArrayLike<number>);
  if (actual instanceof Tensor && 'shape' in expected) assert.deepEqual(actual.shape, (expected as FixtureTensor).shape, `${what}: shape`);
  assert.equal(got.length, exp.length, `${what}: element count`);
  for (let i = 0; i < exp.length; i++) {
    const g = got[i], e = exp[i];
    const ok = Number.isNaN(e) ? Number.isNaN(g) : !Number.isFinite(e) ? g === e : Math.abs(g - e) <= tol.atol + tol.rtol * Math.abs(e);
    assert.ok(ok, `${what}: element ${i}: got ${g}, expected ${e} (rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}
