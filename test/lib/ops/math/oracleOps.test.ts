/**
 * Replays every ops.json case (oracle README §3) of the pointwise, reduction and activation ops:
 * forward values, dtype, shape, grad_fn and next_functions, the input gradients after
 * `torch.autograd.backward(outputs, upstream)`, and the double-backward cases.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../../src/lib/index';
import { callOp, compareNode, compareTensor, loadOpCases, makeTensor, type OpCase } from './oracleCases';

/** The ops (as ops.json names them) this module owns. */
const MATH_OPS = new Set([
  'add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu',
  'clamp', 'maximum', 'minimum', 'where', 'gt', 'lt', 'ge', 'le', 'eq', 'ne', 'sum', 'mean', 'max', 'min', 'amax',
  'amin', 'argmax', 'argmin', 'logsumexp', 'prod', 'var', 'std', 'softmax', 'log_softmax', 'nn.functional.softmax',
  'nn.functional.log_softmax', 'nn.functional.gelu', 'nn.functional.leaky_relu', 'nn.functional.silu',
  'nn.functional.softplus', 'nn.functional.relu',
]);

function inputsOf(c: OpCase): Map<string, torch.Tensor> {
  return new Map(c.inputs.map((i) => [i.name, makeTensor(i, i.requires_grad)]));
}

function outputsOf(c: OpCase, result: unknown): torch.Tensor[] {
  if (result instanceof torch.Tensor) return [result];
  if (result instanceof torch.ValuesIndices) return [result.values, result.indices];
  if (Array.isArray(result)) return result as torch.Tensor[];
  throw new Error(`${c.id}: unexpected result ${String(result)}`);
}

function checkSingle(c: OpCase): string[] {
  const env = inputsOf(c);
  const outs = outputsOf(c, callOp(c, env));
  const expected = c.outputs!;
  const problems: string[] = [];
  if (outs.length !== expected.length) return [`${outs.length} outputs, expected ${expected.length}`];
  expected.forEach((e, k) => {
    problems.push(...compareTensor(`output ${k}`, outs[k], e, c.tol), ...compareNode(`output ${k}`, outs[k], e));
  });
  if (c.grads) {
    const roots: torch.Tensor[] = [];
    const upstream: torch.Tensor[] = [];
    c.upstream!.forEach((u, k) => { if (u) { roots.push(outs[k]); upstream.push(makeTensor(u)); } });
    torch.autograd.backward(roots, upstream);
    c.inputs.forEach((inp, k) => {
      problems.push(...compareTensor(`grad of ${inp.name}`, env.get(inp.name)!._grad, c.grads![k], c.tol));
    });
  }
  return problems;
}

function checkDoubleBackward(c: OpCase): string[] {
  const env = inputsOf(c);
  const out = callOp(c, env) as torch.Tensor;
  const problems = [...compareTensor('output', out, c.output!, c.tol), ...compareNode('output', out, c.output!)];
  const v = makeTensor(c.v!, true);
  const wrt = c.wrt!.map((n) => env.get(n)!);
  const first = torch.autograd.grad(out, wrt, { gradOutputs: v, createGraph: true });
  c.first_grads!.forEach((e, k) => {
    problems.push(...compareTensor(`first grad ${k}`, first[k], e, c.tol), ...compareNode(`first grad ${k}`, first[k]!, e));
  });
  let s: torch.Tensor | null = null;
  first.forEach((g, k) => {
    const term = g!.mul(makeTensor(c.w![k])).sum();
    s = s === null ? term : s.add(term);
  });
  const secondWrt = c.second_wrt!.map((n) => (n === 'v' ? v : env.get(n)!));
  const second = torch.autograd.grad(s!, secondWrt, { allowUnused: true });
  c.second_grads!.forEach((e, k) => {
    problems.push(...compareTensor(`second grad wrt ${c.second_wrt![k]}`, second[k], e, c.tol));
  });
  return problems;
}

describe('math ops against the PyTorch oracle (ops.json)', () => {
  const cases = loadOpCases().filter((c) => MATH_OPS.has(c.op));
  let passed = 0;
  let failed = 0;

  it('covers the math cases of ops.json', () => {
    assert.ok(cases.length >= 180, `only ${cases.length} cases selected`);
  });

  for (const c of cases) {
    it(`${c.id}: ${c.python}`, () => {
      let problems: string[];
      try {
        problems = c.kind === 'double_backward' ? checkDoubleBackward(c) : checkSingle(c);
      } catch (e) {
        problems = [`threw ${(e as Error).stack ?? String(e)}`];
      }
      if (problems.length === 0) passed++;
      else failed++;
      assert.deepEqual(problems, []);
    });
  }

  after(() => {
    console.log(`      math ops: ${passed} passed, ${failed} failed`);
  });
});
