/**
 * ops.json (README §3): every single-op case (forward outputs and their autograd metadata, then
 * one `torch.autograd.backward` with the stored upstream gradients and the inputs' `.grad`) and
 * every double-backward case, run through the public API.
 */
import * as torch from '../../src/lib/index';
import { exactProblems } from './compare';
import {
  errorProblems, optionalTensorProblems, tensorValueProblems, unexpectedErrorProblem, describeValue,
} from './expectations';
import { describeFamily } from './family';
import { loadFamily, type DoubleBackwardCase, type OpCase, type OpInput, type SingleOpCase } from './fixtures';
import { Interpreter, isTensor } from './interpreter';

type Tensor = torch.Tensor;

/** README §3 "Inputs": fresh contiguous leaves, bound by name for the call's `$var`s. */
function bindInputs(interp: Interpreter, inputs: readonly OpInput[]): Tensor[] {
  return inputs.map((input) => {
    const t = interp.tensorFromFixture(input, input.requires_grad);
    interp.bind(input.name, t);
    return t;
  });
}

/**
 * The op's result as the list `outputs` describes: one tensor; a tuple (an array); or
 * `[values, indices]` for max/min(dim), which may come back as an array or as `{ values, indices }`.
 */
function outputList(result: unknown, kind: SingleOpCase['output_kind']): unknown[] | string {
  if (kind === 'tensor') return [result];
  if (Array.isArray(result)) return result;
  if (kind === 'values_indices' && result !== null && typeof result === 'object'
    && 'values' in result && 'indices' in result) {
    return [result.values, result.indices];
  }
  return `forward: got ${describeValue(result)}, expected a ${kind === 'tuple' ? 'tuple of tensors' : '(values, indices) pair'}`;
}

function runSingleOp(c: SingleOpCase): string[] {
  const interp = new Interpreter();
  const inputs = bindInputs(interp, c.inputs);
  let result: unknown;
  try {
    result = interp.call(c);
  } catch (error) {
    return [unexpectedErrorProblem('forward', error)];
  }
  const outputs = outputList(result, c.output_kind);
  if (typeof outputs === 'string') return [outputs];
  const problems = exactProblems('outputs.length', outputs.length, c.outputs.length);
  c.outputs.forEach((exp, i) => problems.push(...tensorValueProblems(`outputs[${i}]`, outputs[i], exp, c.tol)));

  // README §3 "Backward": one call over the outputs that have an upstream gradient.
  const roots: Tensor[] = [];
  const upstream: Tensor[] = [];
  c.upstream.forEach((u, i) => {
    if (u === null) return;
    const out = outputs[i];
    if (!isTensor(out)) return; // already reported above
    roots.push(out);
    upstream.push(interp.tensorFromFixture(u));
  });
  if (roots.length === 0) return problems;
  try {
    torch.autograd.backward(roots, upstream);
  } catch (error) {
    if (c.backward_error) problems.push(...errorProblems('backward', error, c.backward_error));
    else problems.push(unexpectedErrorProblem('backward', error));
    return problems;
  }
  if (c.backward_error) problems.push(`backward: succeeded, expected ${c.backward_error.type}(${JSON.stringify(c.backward_error.message)})`);
  c.grads?.forEach((exp, k) => {
    problems.push(...optionalTensorProblems(`grads[${k}] (${c.inputs[k].name}.grad)`, inputs[k].grad, exp, c.tol));
  });
  return problems;
}

/** README §3 "Double-backward case", step by step. */
function runDoubleBackward(c: DoubleBackwardCase): string[] {
  const interp = new Interpreter();
  bindInputs(interp, c.inputs);
  const problems: string[] = [];
  const step = <T>(name: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push(unexpectedErrorProblem(name, error));
      return undefined;
    }
  };
  const out = step('forward', () => interp.call(c));
  if (out === undefined) return problems;
  problems.push(...tensorValueProblems('output', out, c.output, c.tol));
  if (!isTensor(out)) return problems;

  const v = interp.tensorFromFixture(c.v, true);
  const wrt = c.wrt.map((name) => interp.lookup(name) as Tensor);
  const first = step('first grad', () => torch.autograd.grad(out, wrt, { gradOutputs: v, createGraph: true }));
  if (first === undefined) return problems;
  problems.push(...exactProblems('first_grads.length', first.length, c.first_grads.length));
  c.first_grads.forEach((exp, i) => problems.push(...tensorValueProblems(`first_grads[${i}]`, first[i], exp, c.tol)));

  const secondWrt = [...c.wrt, 'v'];
  problems.push(...exactProblems('second_wrt', c.second_wrt.join(','), secondWrt.join(',')));
  const second = step('second grad', () => {
    const w = c.w.map((t) => interp.tensorFromFixture(t));
    const s = first.map((g, i) => g!.mul(w[i]).sum()).reduce((acc, term) => acc.add(term));
    return torch.autograd.grad(s, [...wrt, v], { allowUnused: true });
  });
  if (second === undefined) return problems;
  c.second_grads.forEach((exp, i) => {
    problems.push(...optionalTensorProblems(`second_grads[${i}] (d/d${c.second_wrt[i]})`, second[i], exp, c.tol));
  });
  return problems;
}

describeFamily<OpCase>('ops', loadFamily<OpCase>('ops'),
  (c) => (c.kind === 'double_backward' ? runDoubleBackward(c) : runSingleOp(c)));
