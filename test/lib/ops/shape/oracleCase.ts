/**
 * Helpers shared by the shape-op oracle tests: decoding ops.json values (README §1) into library
 * calls and comparing results with the README's tolerance rule.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as torch from '../../../../src/lib/index';
import type { Tensor } from '../../../../src/lib/index';

const REPO_ROOT = resolve(__dirname, '../../../..');
export const ORACLE_DIR = process.env.GRADSCOPE_ORACLE_DIR ?? resolve(REPO_ROOT, '../shared/oracle');

export interface OracleTensor {
  dtype: 'float32' | 'float64' | 'int64' | 'bool';
  shape: number[];
  data: (number | string | boolean)[];
}
export interface OracleInput extends OracleTensor { name: string; requires_grad: boolean }
export interface OracleOutput extends OracleTensor {
  requires_grad: boolean;
  is_leaf: boolean;
  grad_fn: string | null;
  next_functions: (string | null)[] | null;
}
export interface Tol { rtol: number; atol: number }

export interface OpCase {
  id: string;
  kind?: 'double_backward';
  op: string;
  call: 'function' | 'method';
  args: unknown[];
  kwargs: Record<string, unknown>;
  python: string;
  inputs: OracleInput[];
  output_kind?: 'tensor' | 'tuple' | 'values_indices';
  outputs?: OracleOutput[];
  upstream?: (OracleTensor | null)[];
  grads?: (OracleTensor | null)[] | null;
  tol: Tol;
  // double backward
  output?: OracleTensor & { grad_fn: string | null };
  v?: OracleTensor;
  wrt?: string[];
  first_grads?: (OracleTensor & { requires_grad: boolean; grad_fn: string | null })[];
  w?: OracleTensor[];
  second_grads?: (OracleTensor | null)[];
  second_wrt?: string[];
}

export function loadOpCases(): OpCase[] {
  return JSON.parse(readFileSync(resolve(ORACLE_DIR, 'ops.json'), 'utf8')) as OpCase[];
}

function decodeNumber(v: number | string | boolean): number | boolean {
  if (typeof v === 'string') return Number(v);
  return v;
}

function nest(flat: (number | boolean)[], shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  const [n, ...rest] = shape;
  const size = rest.reduce((p, s) => p * s, 1);
  return Array.from({ length: n }, (_, i) => nest(flat.slice(i * size, (i + 1) * size), rest));
}

/** A fresh contiguous leaf with the fixture's values. */
export function tensorFrom(t: OracleTensor, requiresGrad = false): Tensor {
  const flat = t.data.map(decodeNumber);
  const data = t.shape.includes(0) ? [] : nest(flat, t.shape);
  const out = torch.tensor(data as number[], { dtype: t.dtype, requiresGrad });
  return t.shape.includes(0) ? out.reshape(t.shape).detach().requiresGrad_(requiresGrad) : out;
}

/** Decodes an argument: $var, $float, $tuple, $slice, $ellipsis, $dtype, $tensor. */
export function decodeArg(v: unknown, vars: Record<string, Tensor>): unknown {
  if (Array.isArray(v)) return v.map((x) => decodeArg(x, vars));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('$var' in o) return vars[o.$var as string];
  if ('$float' in o) return Number(o.$float);
  if ('$tuple' in o) return (o.$tuple as unknown[]).map((x) => decodeArg(x, vars));
  if ('$slice' in o) {
    const [start, stop, step] = o.$slice as (number | null)[];
    return new torch.Slice(start, stop, step);
  }
  if ('$ellipsis' in o) return '...';
  if ('$dtype' in o) return o.$dtype;
  if ('$tensor' in o) return tensorFrom(o.$tensor as OracleTensor);
  throw new Error(`unknown tagged value ${JSON.stringify(v)}`);
}

export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function camelKeys(kwargs: Record<string, unknown>, vars: Record<string, Tensor>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camel(k), decodeArg(v, vars)]));
}

type Fn = (...args: unknown[]) => unknown;

/** Runs the case's call; tuple/list results come back as arrays. */
export function callOp(c: OpCase, vars: Record<string, Tensor>): Tensor | Tensor[] {
  const args = c.args.map((a) => decodeArg(a, vars));
  const kwargs = camelKeys(c.kwargs ?? {}, vars);
  const withOptions = Object.keys(kwargs).length > 0 ? [...args, kwargs] : args;
  if (c.op === '__getitem__') {
    const [self, key] = args as [Tensor, unknown];
    const isTuple = (c.args[1] as Record<string, unknown> | null)?.$tuple !== undefined;
    return self.index(...((isTuple ? key : [key]) as Parameters<Tensor['index']>));
  }
  if (c.call === 'method') {
    const [self, ...rest] = withOptions as [Tensor, ...unknown[]];
    const method = (self as unknown as Record<string, Fn>)[camel(c.op)];
    if (typeof method !== 'function') throw new Error(`no method ${camel(c.op)}`);
    return method.apply(self, rest) as Tensor | Tensor[];
  }
  const path = c.op.split('.');
  let target: unknown = torch;
  for (const p of path.slice(0, -1)) target = (target as Record<string, unknown>)[p];
  const fn = (target as Record<string, Fn>)[camel(path[path.length - 1])];
  if (typeof fn !== 'function') throw new Error(`no function torch.${c.op} (${camel(c.op)})`);
  return fn(...withOptions) as Tensor | Tensor[];
}

/** README rule: |got − exp| <= atol + rtol·|exp|; NaN only matches NaN; ±Inf exactly. */
export function closeEnough(got: number, exp: number, tol: Tol): boolean {
  if (Number.isNaN(exp)) return Number.isNaN(got);
  if (!Number.isFinite(exp)) return got === exp;
  return Math.abs(got - exp) <= tol.atol + tol.rtol * Math.abs(exp);
}

/** Problems found comparing `got` with the fixture tensor (empty when equal within tolerance). */
export function compareTensor(what: string, got: Tensor | null | undefined, exp: OracleTensor | null, tol: Tol): string[] {
  if (exp === null) return got === null || got === undefined ? [] : [`${what}: expected None, got a tensor`];
  if (!got) return [`${what}: expected a tensor, got ${got}`];
  const problems: string[] = [];
  if (got.dtype !== exp.dtype) problems.push(`${what}: dtype ${got.dtype} != ${exp.dtype}`);
  if (JSON.stringify(got.shape) !== JSON.stringify(exp.shape)) {
    problems.push(`${what}: shape [${got.shape}] != [${exp.shape}]`);
    return problems;
  }
  const n = exp.data.length;
  let bad = 0;
  let first = '';
  for (let i = 0; i < n; i++) {
    const e = exp.data[i];
    const g = got._get(i);
    const ok = typeof e === 'boolean' ? (g !== 0) === e
      : exp.dtype === 'int64' ? g === e
        : closeEnough(g, Number(e), tol);
    if (!ok) {
      if (bad === 0) first = `[${i}] got ${g}, expected ${e}`;
      bad++;
    }
  }
  if (bad > 0) problems.push(`${what}: ${bad}/${n} values differ, first ${first}`);
  return problems;
}

export function gradFnName(t: Tensor): string | null {
  return t.gradFn ? t.gradFn.name : null;
}

export function nextFunctionNames(t: Tensor): (string | null)[] | null {
  return t.gradFn ? t.gradFn.nextFunctions.map(([n]) => (n ? n.name : null)) : null;
}
