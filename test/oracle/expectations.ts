/**
 * Compares what the library returned (tensors, tuples, flags, errors, warnings) with the fixtures'
 * recorded observations, using the rules of compare.ts. Every function returns a list of problems
 * (empty = match).
 */
import type * as torch from '../../src/lib/index';
import { exactProblems, nameListProblems, numberProblems, stringDifference, tensorProblems } from './compare';
import type { FixtureError, FixtureResult, FixtureTensor, FixtureWarning, Tol } from './fixtures';
import { describeError, isTensor, observe } from './interpreter';

type Tensor = torch.Tensor;

/** `type(t.grad_fn).__name__`, or null. */
export function gradFnName(t: Tensor): string | null {
  return t.gradFn === null ? null : t.gradFn.name;
}

/** Names of `t.grad_fn.next_functions` (null entries for None), or null without a grad_fn. */
export function nextFunctionNames(t: Tensor): (string | null)[] | null {
  return t.gradFn === null ? null : t.gradFn.nextFunctions.map(([node]) => (node === null ? null : node.name));
}

export interface ExpectedFlags {
  requires_grad?: boolean;
  is_leaf?: boolean;
  grad_fn?: string | null;
  next_functions?: (string | null)[] | null;
}

/** The autograd metadata the fixture recorded for a tensor (only the fields it has). */
export function flagProblems(path: string, t: Tensor, exp: ExpectedFlags): string[] {
  const problems: string[] = [];
  if (exp.requires_grad !== undefined) problems.push(...exactProblems(`${path}.requires_grad`, t.requiresGrad, exp.requires_grad));
  if (exp.is_leaf !== undefined) problems.push(...exactProblems(`${path}.is_leaf`, t.isLeaf, exp.is_leaf));
  if (exp.grad_fn !== undefined) problems.push(...exactProblems(`${path}.grad_fn`, gradFnName(t), exp.grad_fn));
  if (exp.next_functions !== undefined) {
    problems.push(...nameListProblems(`${path}.next_functions`, nextFunctionNames(t), exp.next_functions));
  }
  return problems;
}

/** A value that must be a tensor matching `exp` (values with `tol`) and its flags. */
export function tensorValueProblems(path: string, got: unknown, exp: FixtureTensor & ExpectedFlags, tol: Tol): string[] {
  if (!isTensor(got)) return [`${path}: got ${describeValue(got)}, expected a tensor`];
  return [...tensorProblems(path, observe(got), exp, tol), ...flagProblems(path, got, exp)];
}

/** A tensor, or null where the fixture has null (e.g. `.grad` of an input that got no gradient). */
export function optionalTensorProblems(path: string, got: unknown, exp: FixtureTensor | null, tol: Tol): string[] {
  if (exp === null) return got === null || got === undefined ? [] : [`${path}: got ${describeValue(got)}, expected None`];
  return tensorValueProblems(path, got, exp, tol);
}

/**
 * Objects whose only recorded observation is their Python type: the TypeScript counterpart is
 * recognised by the method users call on it. Other types: any object that is not a tensor.
 */
const OBJECT_TYPES: Record<string, string> = {
  'torch.utils.hooks.RemovableHandle': 'remove',
  'torch._C.Generator': 'manualSeed',
};

/** README §4 `R`. */
export function resultProblems(path: string, got: unknown, exp: FixtureResult, tol: Tol): string[] {
  if (exp === null) return got === null || got === undefined ? [] : [`${path}: got ${describeValue(got)}, expected None`];
  if ('tensor' in exp) {
    const { tensor, ...flags } = exp;
    return tensorValueProblems(path, got, { ...tensor, ...flags }, tol);
  }
  if ('tuple' in exp || 'list' in exp) {
    const items = 'tuple' in exp ? exp.tuple : exp.list;
    if (!Array.isArray(got)) return [`${path}: got ${describeValue(got)}, expected a sequence of ${items.length}`];
    if (got.length !== items.length) return [`${path}: got ${got.length} items, expected ${items.length}`];
    return items.flatMap((item, i) => resultProblems(`${path}[${i}]`, got[i], item, tol));
  }
  if ('bool' in exp) return exactProblems(path, got, exp.bool);
  if ('int' in exp) return exactProblems(path, got, exp.int);
  if ('float' in exp) return numberProblems(path, got, Number(exp.float), tol);
  if ('size' in exp) {
    const ok = Array.isArray(got) && got.length === exp.size.length && got.every((d, i) => d === exp.size[i]);
    return ok ? [] : [`${path}: got ${describeValue(got)}, expected size [${exp.size.join(', ')}]`];
  }
  if ('object' in exp) {
    const method = OBJECT_TYPES[exp.object];
    const isObject = got !== null && (typeof got === 'object' || typeof got === 'function')
      && !isTensor(got) && !Array.isArray(got);
    const ok = isObject && (method === undefined || typeof (got as Record<string, unknown>)[method] === 'function');
    return ok ? [] : [`${path}: got ${describeValue(got)}, expected a ${exp.object}`];
  }
  return [`${path}: unknown expected result ${JSON.stringify(exp)}`];
}

/** Warnings: category and message exactly, in order (cpp_origin is informative). */
export function warningProblems(path: string, got: readonly torch.TorchWarning[], exp: readonly FixtureWarning[] = []): string[] {
  const g = got.map((w) => `${w.category}: ${w.message}`);
  const e = exp.map((w) => `${w.category}: ${w.message}`);
  if (g.length !== e.length) {
    const list = (xs: string[]): string => (xs.length === 0 ? 'none' : xs.map((x) => JSON.stringify(x)).join(', '));
    return [`${path}: got ${g.length} warnings, expected ${e.length}: got ${list(g)}, expected ${list(e)}`];
  }
  return g.flatMap((x, i) => (x === e[i] ? [] : [`${path} warning ${i}: ${stringDifference(x, e[i])}`]));
}

/** A raised error: Python exception type and message exactly. */
export function errorProblems(path: string, got: unknown, exp: FixtureError): string[] {
  const g = describeError(got);
  if (g.type !== exp.type) {
    return [`${path}: got ${g.type}(${JSON.stringify(g.message)}), expected ${exp.type}(${JSON.stringify(exp.message)})`];
  }
  return g.message === exp.message ? [] : [`${path}: ${g.type} message ${stringDifference(g.message, exp.message)}`];
}

/** A problem line for an unexpected error. */
export function unexpectedErrorProblem(path: string, error: unknown): string {
  const { type, message } = describeError(error);
  return `${path}: raised ${type}: ${message}`;
}

/** Short description of any value, for problem lines. */
export function describeValue(x: unknown): string {
  if (isTensor(x)) return `tensor(dtype=${x.dtype}, shape=[${x.shape.join(', ')}])`;
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `[${x.map(describeValue).join(', ')}]`;
  if (typeof x === 'object') return `<${(x as object).constructor?.name ?? 'object'}>`;
  return JSON.stringify(x) ?? String(x);
}
