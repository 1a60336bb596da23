/**
 * The oracle's comparison rules (README §1, §3, §4): one function per kind of observation, each
 * returning human-readable problems (empty = match) prefixed with where they were found, so a
 * failing case lists every difference at once.
 *
 * - floats: `|got - exp| <= atol + rtol * |exp|`; NaN matches NaN only; ±Infinity exactly;
 *   zeros compare numerically (the sign of zero only matters through `bits`);
 * - int64 / bool values, dtypes, shapes, flags, grad_fn names, strings: exact;
 * - `bits`, where the fixture gives them: the IEEE-754 pattern of every element, exactly.
 */
import type { FixtureTensor, Tol } from './fixtures';

/** A tensor as the library produced it, read through the public API (see `observe`). */
export interface ObservedTensor {
  dtype: string;
  shape: readonly number[];
  data: readonly (number | boolean)[];
}

/** How many differing elements one problem line spells out before summarising the rest. */
const ELEMENTS_SHOWN = 3;

export function isFloatDtype(dtype: string): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** A fixture element as a JS value: "NaN" / "Infinity" / "-Infinity" become numbers. */
export function fixtureElement(x: number | string | boolean): number | boolean {
  return typeof x === 'string' ? Number(x) : x;
}

/** The README's tolerance rule for one float. */
export function closeEnough(got: number, exp: number, tol: Tol): boolean {
  if (Number.isNaN(exp)) return Number.isNaN(got);
  if (!Number.isFinite(exp)) return got === exp;
  if (!Number.isFinite(got)) return false;
  return Math.abs(got - exp) <= tol.atol + tol.rtol * Math.abs(exp);
}

const bitsView = new DataView(new ArrayBuffer(8));

/** Lower-case hex IEEE-754 pattern: 8 digits for float32, 16 for float64. */
export function bitPattern(x: number, dtype: string): string {
  if (dtype === 'float32') {
    bitsView.setFloat32(0, x);
    return bitsView.getUint32(0).toString(16).padStart(8, '0');
  }
  bitsView.setFloat64(0, x);
  return bitsView.getBigUint64(0).toString(16).padStart(16, '0');
}

function show(x: unknown): string {
  if (typeof x === 'number' && Object.is(x, -0)) return '-0';
  return typeof x === 'string' ? JSON.stringify(x) : String(x);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Problems with one element-wise comparison, summarised after the first few. */
function elementProblems(path: string, what: string, bad: string[]): string[] {
  if (bad.length === 0) return [];
  const more = bad.length > ELEMENTS_SHOWN ? ` (and ${bad.length - ELEMENTS_SHOWN} more)` : '';
  return [`${path}: ${bad.length} ${what} differ: ${bad.slice(0, ELEMENTS_SHOWN).join('; ')}${more}`];
}

/** dtype, shape, values (with `tol` for floats) and, where given, bit patterns. */
export function tensorProblems(path: string, got: ObservedTensor, exp: FixtureTensor, tol: Tol): string[] {
  const problems: string[] = [];
  if (got.dtype !== exp.dtype) problems.push(`${path}.dtype: got ${got.dtype}, expected ${exp.dtype}`);
  if (!sameShape(got.shape, exp.shape)) {
    problems.push(`${path}.shape: got [${got.shape.join(', ')}], expected [${exp.shape.join(', ')}]`);
    return problems;
  }
  const float = isFloatDtype(exp.dtype);
  const badValues: string[] = [];
  const badBits: string[] = [];
  for (let i = 0; i < exp.data.length; i++) {
    const e = fixtureElement(exp.data[i]);
    const g = got.data[i];
    const ok = float && typeof e === 'number' && typeof g === 'number'
      ? closeEnough(g, e, tol)
      : Number(g) === Number(e);
    if (!ok) badValues.push(`[${i}] got ${show(g)}, expected ${show(e)}`);
    if (exp.bits !== undefined && typeof g === 'number') {
      const gb = bitPattern(g, exp.dtype);
      if (gb !== exp.bits[i]) badBits.push(`[${i}] got ${gb}, expected ${exp.bits[i]}`);
    }
  }
  problems.push(...elementProblems(`${path}.data`, 'values', badValues));
  problems.push(...elementProblems(`${path}.bits`, 'bit patterns', badBits));
  return problems;
}

/** Exact equality of a flag, name, string or number. */
export function exactProblems(path: string, got: unknown, exp: unknown): string[] {
  if (Object.is(got, exp) || got === exp) return [];
  if (typeof got === 'string' && typeof exp === 'string') return [`${path}: ${stringDifference(got, exp)}`];
  return [`${path}: got ${show(got)}, expected ${show(exp)}`];
}

/** Strings up to this length are shown whole in problems; longer ones around their first difference. */
const SHORT_STRING = 100;
const CONTEXT = 30;

/**
 * Two different strings, readably: whole when short, else the line and column of the first
 * difference with a little context (a 1000-element tensor's str or a long warning stays legible).
 */
export function stringDifference(got: string, exp: string): string {
  if (got.length <= SHORT_STRING && exp.length <= SHORT_STRING) return `got ${JSON.stringify(got)}, expected ${JSON.stringify(exp)}`;
  let i = 0;
  while (i < got.length && i < exp.length && got[i] === exp[i]) i++;
  const line = got.slice(0, i).split('\n').length;
  const column = i - got.lastIndexOf('\n', i - 1);
  const from = Math.max(0, i - CONTEXT);
  const excerpt = (s: string): string => `${from > 0 ? '…' : ''}${JSON.stringify(s.slice(from, i + CONTEXT))}${i + CONTEXT < s.length ? '…' : ''}`;
  return `first difference at line ${line}, column ${column}: got ${excerpt(got)}, expected ${excerpt(exp)}`;
}

/** Exact equality of a list of names (`next_functions`), `null` meaning "no list". */
export function nameListProblems(path: string, got: readonly (string | null)[] | null,
  exp: readonly (string | null)[] | null): string[] {
  const g = got === null ? 'null' : `[${got.map(show).join(', ')}]`;
  const e = exp === null ? 'null' : `[${exp.map(show).join(', ')}]`;
  return g === e ? [] : [`${path}: got ${g}, expected ${e}`];
}

/** One scalar float (results `{float: x}`, printed program numbers). */
export function numberProblems(path: string, got: unknown, exp: number, tol: Tol): string[] {
  if (typeof got !== 'number') return [`${path}: got ${show(got)}, expected the number ${show(exp)}`];
  return closeEnough(got, exp, tol) ? [] : [`${path}: got ${show(got)}, expected ${show(exp)} (rtol ${tol.rtol}, atol ${tol.atol})`];
}

/** The assertion message of a failing case: a one-line summary first (parity.mjs shows it). */
export function describeProblems(problems: readonly string[]): string {
  const head = problems.length === 1 ? problems[0] : `${problems.length} problems; first: ${problems[0]}`;
  return problems.length === 1 ? head : `${head}\n  - ${problems.join('\n  - ')}`;
}
