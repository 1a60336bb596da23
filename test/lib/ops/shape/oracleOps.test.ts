/**
 * Replays the ops.json cases of the shape / indexing / joining / linear-algebra / loss /
 * normalisation ops (and double_backward/matmul*) against PyTorch 2.11's recorded results:
 * forward values, dtype, shape, requires_grad / is_leaf, grad_fn and next_functions names, and
 * the input gradients after `torch.autograd.backward(outputs, upstream)`.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../../src/lib/index';
import type { Tensor } from '../../../../src/lib/index';
import {
  callOp, compareTensor, gradFnName, loadOpCases, nextFunctionNames, tensorFrom, type OpCase,
} from './oracleCase';

const SHAPE_OPS = new Set([
  'matmul', 'mm', 'bmm', 't', 'transpose', 'permute', 'reshape', 'view', 'flatten', 'squeeze', 'unsqueeze', 'expand',
  'cat', 'stack', 'split', 'chunk', '__getitem__', 'gather',
  'nn.functional.mse_loss', 'nn.functional.l1_loss', 'nn.functional.cross_entropy', 'nn.functional.nll_loss',
  'nn.functional.binary_cross_entropy', 'nn.functional.binary_cross_entropy_with_logits', 'nn.functional.layer_norm',
]);

function isShapeCase(c: OpCase): boolean {
  if (c.kind === 'double_backward') return c.id.startsWith('double_backward/matmul');
  return SHAPE_OPS.has(c.op);
}

function runSingle(c: OpCase): string[] {
  const vars: Record<string, Tensor> = {};
  const inputs = c.inputs.map((i) => (vars[i.name] = tensorFrom(i, i.requires_grad)));
  const result = callOp(c, vars);
  const outs = Array.isArray(result) ? result : [result];
  const problems: string[] = [];
  const expected = c.outputs!;
  if (outs.length !== expected.length) return [`${outs.length} outputs, expected ${expected.length}`];
  expected.forEach((e, i) => {
    const o = outs[i];
    problems.push(...compareTensor(`output ${i}`, o, e, c.tol));
    if (o.requiresGrad !== e.requires_grad) problems.push(`output ${i}: requires_grad ${o.requiresGrad} != ${e.requires_grad}`);
    if (o.isLeaf !== e.is_leaf) problems.push(`output ${i}: is_leaf ${o.isLeaf} != ${e.is_leaf}`);
    if (gradFnName(o) !== e.grad_fn) problems.push(`output ${i}: grad_fn ${gradFnName(o)} != ${e.grad_fn}`);
    const next = nextFunctionNames(o);
    if (JSON.stringify(next) !== JSON.stringify(e.next_functions)) {
      problems.push(`output ${i}: next_functions ${JSON.stringify(next)} != ${JSON.stringify(e.next_functions)}`);
    }
  });
  if (c.grads) {
    const roots: Tensor[] = [];
    const ups: Tensor[] = [];
    c.upstream!.forEach((u, i) => {
      if (u) { roots.push(outs[i]); ups.push(tensorFrom(u)); }
    });
    torch.autograd.backward(roots, ups);
    c.grads.forEach((g, k) => problems.push(...compareTensor(`grad of ${c.inputs[k].name}`, inputs[k].grad, g, c.tol)));
  }
  return problems;
}

function runDoubleBackward(c: OpCase): string[] {
  const vars: Record<string, Tensor> = {};
  c.inputs.forEach((i) => { vars[i.name] = tensorFrom(i, i.requires_grad); });
  const out = callOp(c, vars) as Tensor;
  const problems = compareTensor('output', out, c.output!, c.tol);
  if (gradFnName(out) !== c.output!.grad_fn) problems.push(`output grad_fn ${gradFnName(out)} != ${c.output!.grad_fn}`);
  const v = tensorFrom(c.v!, true);
  const wrt = c.wrt!.map((n) => vars[n]);
  const first = torch.autograd.grad(out, wrt, { gradOutputs: v, createGraph: true });
  first.forEach((g, i) => {
    const e = c.first_grads![i];
    problems.push(...compareTensor(`first grad ${c.wrt![i]}`, g, e, c.tol));
    if (g && g.requiresGrad !== e.requires_grad) problems.push(`first grad ${c.wrt![i]}: requires_grad ${g.requiresGrad}`);
    if (g && gradFnName(g) !== e.grad_fn) problems.push(`first grad ${c.wrt![i]}: grad_fn ${gradFnName(g)} != ${e.grad_fn}`);
  });
  let s: Tensor | null = null;
  first.forEach((g, i) => {
    const term = g!.mul(tensorFrom(c.w![i])).sum();
    s = s === null ? term : s.add(term);
  });
  const second = torch.autograd.grad(s!, [...wrt, v], { allowUnused: true });
  second.forEach((g, i) => problems.push(...compareTensor(`second grad ${c.second_wrt![i]}`, g, c.second_grads![i], c.tol)));
  return problems;
}

describe('shape ops: oracle (ops.json)', () => {
  const cases = loadOpCases().filter(isShapeCase);
  let passed = 0;
  let failed = 0;

  it('finds cases for every op of the family', () => {
    const seen = new Set(cases.map((c) => c.op));
    assert.deepEqual([...SHAPE_OPS].filter((op) => !seen.has(op)), []);
  });

  for (const c of cases) {
    it(c.id, () => {
      let problems: string[];
      try {
        problems = c.kind === 'double_backward' ? runDoubleBackward(c) : runSingle(c);
      } catch (e) {
        problems = [`threw ${(e as Error).name}: ${(e as Error).message}`];
      }
      if (problems.length === 0) passed++;
      else failed++;
      assert.deepEqual(problems, [], `${c.python}\n  ${problems.join('\n  ')}`);
    });
  }

  after(() => {
    console.log(`shape ops: ${passed} passed, ${failed} failed`);
  });
});
