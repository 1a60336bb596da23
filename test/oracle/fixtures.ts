/**
 * The oracle's JSON schema (see README.md beside the fixtures) and where the fixtures are read from.
 *
 * The directory comes from GRADSCOPE_ORACLE_DIR, defaulting to `../shared/oracle` beside the
 * repository, so the same tests run unchanged on any fixture set of the same schema.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const ORACLE_DIR = process.env.GRADSCOPE_ORACLE_DIR ?? resolve(REPO_ROOT, '../shared/oracle');

/** README §1 "Tensor object": data in row-major order; non-finite floats as strings. */
export interface FixtureTensor {
  dtype: string;
  shape: number[];
  data: (number | string | boolean)[];
  /** IEEE-754 bit patterns (rng.json and programs.json results only). */
  bits?: string[];
}

export interface Tol {
  rtol: number;
  atol: number;
}

/** A JSON value of the call language (README §1 "Arguments"), before decoding. */
export type FixtureValue = unknown;

/** README §1 "Calls". */
export interface FixtureCall {
  op: string;
  call?: 'function' | 'method';
  args?: FixtureValue[];
  kwargs?: Record<string, FixtureValue>;
}

export interface FixtureWarning {
  category: string;
  message: string;
  cpp_origin?: boolean;
}

export interface FixtureError {
  type: string;
  message: string;
}

/** README §4 `R`. */
export type FixtureResult =
  | null
  | { tensor: FixtureTensor; requires_grad: boolean; is_leaf: boolean; grad_fn: string | null }
  | { tuple: FixtureResult[] }
  | { list: FixtureResult[] }
  | { bool: boolean }
  | { int: number }
  | { float: number | string }
  | { size: number[] }
  | { object: string };

export interface StepExpect {
  result?: FixtureResult;
  error?: FixtureError;
  warnings?: FixtureWarning[];
  // `check` steps
  tensor?: FixtureTensor;
  requires_grad?: boolean;
  is_leaf?: boolean;
  grad_fn?: string | null;
  grad?: FixtureTensor | null;
  grad_warnings?: FixtureWarning[];
  // `check_hook` steps
  calls?: FixtureTensor[];
}

/** README §4 steps (print.json uses the same steps without `expect`). */
export interface Step extends Partial<FixtureCall> {
  let?: string;
  check?: string;
  attr?: string;
  of?: string;
  set_attr?: string;
  value?: FixtureValue;
  with?: 'no_grad' | 'enable_grad' | 'set_grad_enabled';
  steps?: Step[];
  check_hook?: string;
  expect?: StepExpect;
}

export interface OpInput extends FixtureTensor {
  name: string;
  requires_grad: boolean;
}

export interface OpOutput extends FixtureTensor {
  requires_grad: boolean;
  is_leaf: boolean;
  grad_fn: string | null;
  next_functions: (string | null)[] | null;
}

/** README §3 single-op case. */
export interface SingleOpCase extends FixtureCall {
  id: string;
  kind?: undefined;
  inputs: OpInput[];
  output_kind: 'tensor' | 'tuple' | 'values_indices';
  outputs: OpOutput[];
  upstream: (FixtureTensor | null)[];
  grads: (FixtureTensor | null)[] | null;
  backward_error?: FixtureError;
  tol: Tol;
  note?: string;
}

/** README §3 double-backward case. */
export interface DoubleBackwardCase extends FixtureCall {
  id: string;
  kind: 'double_backward';
  inputs: OpInput[];
  output: FixtureTensor & { grad_fn: string | null };
  v: FixtureTensor;
  wrt: string[];
  first_grads: (FixtureTensor & { requires_grad: boolean; grad_fn: string | null })[];
  w: FixtureTensor[];
  second_grads: (FixtureTensor | null)[];
  second_wrt: string[];
  tol: Tol;
}

export type OpCase = SingleOpCase | DoubleBackwardCase;

export interface AutogradCase {
  id: string;
  description?: string;
  steps: Step[];
}

export interface RngCall {
  fn: string;
  args: Record<string, unknown>;
  out: FixtureTensor[];
}

export interface RngCase {
  id: string;
  seed: number;
  note?: string;
  calls: RngCall[];
}

export type PrintCase =
  | { id: string; steps: Step[]; target: string; str: string; note?: string }
  | { id: string; steps: Step[]; target: string; what: string; str_prefix: string; str_suffix: string; note?: string };

export interface ProgramCase {
  id: string;
  title: string;
  python: string;
  stdout: string;
  stdout_numbers: number[];
  results: Record<string, unknown>;
  tol: Tol & { accuracy_abs?: number; why?: string };
}

export type Family = 'ops' | 'autograd' | 'rng' | 'print' | 'programs';

/** All cases of one family, read synchronously so mocha can declare one `it` per case. */
export function loadFamily<T>(family: Family): T[] {
  const path = join(ORACLE_DIR, `${family}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as T[];
}
