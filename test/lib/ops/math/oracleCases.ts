/**
 * Helpers to replay ops.json cases (oracle README §3) against the library: decoding tensors and
 * arguments, calling the op the way the Python call reads, and comparing with the README's
 * tolerance rule.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as torch from '../../../../src/lib/index';
import { wrapScalar } from '../../../../src/lib/ops/promote';
import type { TensorData } from '../../../../src/lib/ops/creation';

const REPO_ROOT = resolve(__dirname, '../../../..');
export const ORACLE_DIR = process.env.GRADSCOPE_ORACLE_DIR ?? resolve(REPO_ROOT, '../shared/oracle');

type DType = 'float32' | 'float64' | 'int64' | 'bool';

export interface OracleTensor {
  dtype: DType;
  shape: number[];
  data: (number | string | boolean)[];
}

export interface OracleInput extends OracleTensor {
  name: string;
  requires_grad: boolean;
}

export interface OracleOutput extends OracleTensor {
  requires_grad?: boolean;
  is_leaf?: boolean;
  grad_fn: string | null;
  next_functions?: (string | null)[];
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
  output?: OracleOutput;
  v?: OracleTensor;
  wrt?: string[];
  first_grads?: (OracleOutput & { requires_grad: boolean })[];
  w?: OracleTensor[];
  second_grads?: (OracleTensor | null)[];
  second_wrt?: string[];
}

export function loadOpCases(): OpCase[] {
  return JSON.parse(readFileSync(resolve(ORACLE_DIR, 'ops.json'), 'utf8')) as OpCase[];
}

export function decodeNumber(x: number | string | boolean): number {
  if (typeof x === 'boolean') return x ? 1 : 0;
  return typeof x === 'string' ? Number(x) : x;
}

/** Nested arrays of the flat row-major data, as `torch.tensor` takes them. */
function nest(flat: (number | boolean)[], shape: readonly number[]): TensorData {
  if (shape.length === 0) return flat[0];
  const [n, ...rest] = shape;
  const step = rest.reduce((p, s) => p * s, 1);
  const out: TensorData[] = [];
  for (let i = 0; i < n; i++) out.push(nest(flat.slice(i * step, (i + 1) * step), rest));
  return out;
}

export function makeTensor(t: OracleTensor, requiresGrad = false): torch.Tensor {
  const flat = t.data.map((x) => (t.dtype === 'bool' ? Boolean(x) : decodeNumber(x)));
  return torch.tensor(nest(flat, t.shape), { dtype: t.dtype, requiresGrad });
}

/**
 * A Python float. JavaScript cannot tell 2.0 from 2, and the library reads integral numbers as
 * Python ints; the difference only shows when the other operand is an integer tensor (int + 2.0
 * is float). There the float is passed as what PyTorch itself makes of it: a wrapped 0-dim
 * float tensor, which ranks below every real tensor in type promotion.
 */
function pyFloat(x: number, integerInputs: boolean): number | torch.Tensor {
  if (integerInputs && Number.isInteger(x)) return wrapScalar(x, 'float64');
  return x;
}

export function decodeArg(arg: unknown, env: Map<string, torch.Tensor>, integerInputs: boolean): unknown {
  if (arg === null || typeof arg !== 'object') return arg;
  if (Array.isArray(arg)) return arg.map((a) => decodeArg(a, env, integerInputs));
  const o = arg as Record<string, unknown>;
  if ('$var' in o) {
    const t = env.get(o.$var as string);
    if (!t) throw new Error(`unknown variable ${String(o.$var)}`);
    return t;
  }
  if ('$float' in o) return pyFloat(decodeNumber(o.$float as number | string), integerInputs);
  if ('$tuple' in o) return (o.$tuple as unknown[]).map((a) => decodeArg(a, env, integerInputs));
  if ('$dtype' in o) return o.$dtype;
  if ('$tensor' in o) return makeTensor(o.$tensor as OracleTensor);
  throw new Error(`unsupported argument ${JSON.stringify(arg)}`);
}

export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The library function a case's `op` names (`nn.functional.log_softmax` → torch.nn.functional.logSoftmax). */
export function resolveFunction(op: string): (...args: unknown[]) => unknown {
  const parts = op.split('.');
  let target: unknown = torch;
  for (const p of parts) target = (target as Record<string, unknown>)[camel(p)];
  if (typeof target !== 'function') throw new Error(`no library function for ${op}`);
  return target as (...args: unknown[]) => unknown;
}

/** Runs the case's call: positional args, then kwargs as one camelCase options object. */
export function callOp(c: OpCase, env: Map<string, torch.Tensor>): unknown {
  const integerInputs = c.inputs.some((i) => i.dtype === 'int64' || i.dtype === 'bool');
  const args = c.args.map((a) => decodeArg(a, env, integerInputs));
  const kwEntries = Object.entries(c.kwargs ?? {});
  if (kwEntries.length > 0) {
    args.push(Object.fromEntries(kwEntries.map(([k, v]) => [camel(k), decodeArg(v, env, integerInputs)])));
  }
  if (c.call === 'method') {
    const [self, ...rest] = args as [torch.Tensor, ...unknown[]];
    const method = (self as unknown as Record<string, unknown>)[camel(c.op)];
    if (typeof method !== 'function') throw new Error(`no Tensor method ${c.op}`);
    return (method as (...a: unknown[]) => unknown).apply(self, rest);
  }
  return resolveFunction(c.op)(...args);
}

/** The README's rule: |got − exp| ≤ atol + rtol·|exp|; NaN matches NaN only; ±inf exactly. */
export function close(got: number, exp: number, tol: Tol): boolean {
  if (Number.isNaN(exp)) return Number.isNaN(got);
  if (!Number.isFinite(exp)) return got === exp;
  if (!Number.isFinite(got)) return false;
  return Math.abs(got - exp) <= tol.atol + tol.rtol * Math.abs(exp);
}

/** Differences between a tensor and its expected record (empty when they agree). */
export function compareTensor(what: string, got: torch.Tensor | null | undefined, exp: OracleTensor | null,
  tol: Tol): string[] {
  if (exp === null) return got === null || got === undefined ? [] : [`${what}: expected None, got a tensor`];
  if (got === null || got === undefined) return [`${what}: expected a tensor, got None`];
  const problems: string[] = [];
  if (got.dtype !== exp.dtype) problems.push(`${what}: dtype ${got.dtype}, expected ${exp.dtype}`);
  if (JSON.stringify(got.shape) !== JSON.stringify(exp.shape)) {
    problems.push(`${what}: shape [${got.shape}], expected [${exp.shape}]`);
    return problems;
  }
  const exact = exp.dtype === 'int64' || exp.dtype === 'bool';
  for (let i = 0; i < exp.data.length; i++) {
    const e = decodeNumber(exp.data[i]);
    const g = got._get(i);
    if (exact ? g !== e : !close(g, e, tol)) {
      problems.push(`${what}[${i}]: got ${g}, expected ${e}`);
      if (problems.length > 5) break;
    }
  }
  return problems;
}

/** grad_fn name and next_functions names of a result against the record. */
export function compareNode(what: string, got: torch.Tensor, exp: OracleOutput): string[] {
  const problems: string[] = [];
  const name = got.gradFn ? got.gradFn.name : null;
  if (name !== exp.grad_fn) problems.push(`${what}: grad_fn ${name}, expected ${exp.grad_fn}`);
  if (exp.requires_grad !== undefined && got.requiresGrad !== exp.requires_grad) {
    problems.push(`${what}: requires_grad ${got.requiresGrad}, expected ${exp.requires_grad}`);
  }
  if (exp.is_leaf !== undefined && got.isLeaf !== exp.is_leaf) {
    problems.push(`${what}: is_leaf ${got.isLeaf}, expected ${exp.is_leaf}`);
  }
  if (exp.next_functions && got.gradFn) {
    const names = got.gradFn.nextFunctions.map(([n]) => (n ? n.name : null));
    if (JSON.stringify(names) !== JSON.stringify(exp.next_functions)) {
      problems.push(`${what}: next_functions ${JSON.stringify(names)}, expected ${JSON.stringify(exp.next_functions)}`);
    }
  }
  return problems;
}
