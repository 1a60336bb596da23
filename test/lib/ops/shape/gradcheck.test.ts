/**
 * Finite-difference gradient checks (float64) for every differentiable shape / indexing /
 * joining / linear-algebra / loss / normalisation op: the analytic vector-Jacobian product
 * (backward with a random upstream) must match central differences, and for the ops whose
 * backward is itself differentiable the second derivative is checked the same way.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../../src/lib/index';
import type { Tensor } from '../../../../src/lib/index';

const F = torch.nn.functional;
const H = 1e-6;
const TOL = 1e-6;

/** Deterministic float64 values (a small LCG; independent of the library's RNG). */
function makeRandom(seed: number): (shape: number[], lo?: number, hi?: number) => Tensor {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return (shape, lo = -1, hi = 1) => {
    const n = shape.reduce((p, s) => p * s, 1);
    const data = Float64Array.from({ length: n }, () => lo + (hi - lo) * next());
    return torch.tensor(data, { dtype: 'float64' }).reshape(shape).detach();
  };
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

/** Σ_i Σ(out_i · w_i): a scalar whose gradient is the VJP of `fn` with upstream `w`. */
function weightedSum(outs: Tensor | Tensor[], weights: Tensor[]): Tensor {
  const list = Array.isArray(outs) ? outs : [outs];
  let s: Tensor | null = null;
  list.forEach((o, i) => {
    const term = o.mul(weights[i]).sum();
    s = s === null ? term : s.add(term);
  });
  return s!;
}

function leaves(values: readonly Tensor[]): Tensor[] {
  return values.map((v) => v.clone().detach().requiresGrad_(true));
}

/** max |analytic − numeric| / (1 + |numeric|) over every element of every input. */
function vjpError(fn: Fn, values: readonly Tensor[], rand: ReturnType<typeof makeRandom>): number {
  const xs = leaves(values);
  const out = fn(...xs);
  const outs = Array.isArray(out) ? out : [out];
  const weights = outs.map((o) => rand(o.shape.slice()));
  const total = weightedSum(out, weights);
  // A function that does not depend on its inputs at all (e.g. the gradient of a linear op
  // w.r.t. its input) has no graph: its derivative is zero.
  const analytic = total.requiresGrad ? torch.autograd.grad(total, xs, { allowUnused: true }) : xs.map(() => null);
  let worst = 0;
  xs.forEach((x, k) => {
    const data = values[k].clone().detach();
    for (let i = 0; i < data.numel(); i++) {
      const orig = data._data[i];
      const at = (v: number) => {
        data._data[i] = v;
        return torch.noGrad(() => weightedSum(fn(...values.map((t, j) => (j === k ? data : t))), weights).item());
      };
      const numeric = (at(orig + H) - at(orig - H)) / (2 * H);
      data._data[i] = orig;
      const g = analytic[k] ? analytic[k]!._get(i) : 0;
      worst = Math.max(worst, Math.abs(g - numeric) / (1 + Math.abs(numeric)));
    }
  });
  return worst;
}

/**
 * The same check on (x, w) ↦ Σ(∂(Σ fn(x)·w)/∂x · u): second derivatives through createGraph,
 * with respect to the inputs and to the upstream gradient w (so linear ops are covered too).
 */
function gradgradError(fn: Fn, values: readonly Tensor[], rand: ReturnType<typeof makeRandom>): number {
  const probe = fn(...leaves(values));
  const weights = (Array.isArray(probe) ? probe : [probe]).map((o) => rand(o.shape.slice()));
  const us = values.map((v) => rand(v.shape.slice()));
  const n = values.length;
  const firstGrads: Fn = (...args) => torch.enableGrad(() => {
    const ys = args.slice(0, n).map((x) => (x.requiresGrad ? x : x.detach().requiresGrad_(true)));
    const gs = torch.autograd.grad(weightedSum(fn(...ys), args.slice(n)), ys, { createGraph: true, allowUnused: true });
    let s: Tensor | null = null;
    gs.forEach((g, i) => {
      if (!g) return;
      const term = g.mul(us[i]).sum();
      s = s === null ? term : s.add(term);
    });
    return s ?? torch.zeros([], { dtype: 'float64' });
  });
  return vjpError(firstGrads, [...values, ...weights], rand);
}

interface Check {
  name: string;
  fn: Fn;
  inputs: (rand: ReturnType<typeof makeRandom>) => Tensor[];
  /** Also check second derivatives. */
  twice?: boolean;
}

const long = (data: number[] | number[][]) => torch.tensor(data as number[], { dtype: 'int64' });
const mask = (data: boolean[] | boolean[][]) => torch.tensor(data as boolean[]);
const f64 = (data: number[]) => torch.tensor(data, { dtype: 'float64' });

const checks: Check[] = [
  // views and reshaping
  { name: 'view', fn: (a) => a.view(3, -1), inputs: (r) => [r([2, 3, 2])], twice: true },
  { name: 'reshape (copying)', fn: (a) => a.t().reshape(-1), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'transpose', fn: (a) => a.transpose(0, 2), inputs: (r) => [r([2, 3, 4])], twice: true },
  { name: 't', fn: (a) => a.t(), inputs: (r) => [r([3, 4])] },
  { name: 'permute', fn: (a) => a.permute(2, 0, 1), inputs: (r) => [r([2, 3, 4])], twice: true },
  { name: 'movedim', fn: (a) => a.movedim(0, 2), inputs: (r) => [r([2, 3, 4])] },
  { name: 'unsqueeze', fn: (a) => a.unsqueeze(1), inputs: (r) => [r([3, 4])] },
  { name: 'squeeze all', fn: (a) => a.squeeze(), inputs: (r) => [r([3, 1, 4, 1])], twice: true },
  { name: 'squeeze dim', fn: (a) => a.squeeze(1), inputs: (r) => [r([3, 1, 4])] },
  { name: 'expand', fn: (a) => a.expand(2, 3, 4), inputs: (r) => [r([3, 1])], twice: true },
  { name: 'flatten', fn: (a) => a.flatten(1), inputs: (r) => [r([2, 3, 4])] },
  { name: 'unflatten', fn: (a) => a.unflatten(1, [2, -1]), inputs: (r) => [r([3, 6])] },
  { name: 'T / mT', fn: (a) => a.T.add(a.mT.mul(2)), inputs: (r) => [r([3, 4])] },
  // indexing
  { name: 'index int/slice/None/...', fn: (a) => a.index(1, null, '...', '::2'), inputs: (r) => [r([3, 4, 5])], twice: true },
  { name: 'index negative step slices', fn: (a) => a.index('-3:-1', '1:'), inputs: (r) => [r([5, 3])] },
  { name: 'index long tensor (duplicates)', fn: (a) => a.index(long([0, 2, 0, -1])), inputs: (r) => [r([4, 3])], twice: true },
  { name: 'index two long tensors', fn: (a) => a.index(long([0, 2]), long([[1], [2]])), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'index bool mask', fn: (a) => a.index(mask([[true, false, true], [false, true, true]])), inputs: (r) => [r([2, 3])] },
  { name: 'index slice then array', fn: (a) => a.index('1:3', [2, 0]), inputs: (r) => [r([4, 3])] },
  { name: 'select / narrow', fn: (a) => a.select(1, -1).add(a.narrow(1, 0, 1).squeeze(1)), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'indexSelect', fn: (a) => a.indexSelect(1, long([3, 0, 3])), inputs: (r) => [r([2, 4])], twice: true },
  { name: 'indexPut', fn: (a, v) => torch.indexPut(a, [long([0, 2])], v), inputs: (r) => [r([3, 4]), r([4])], twice: true },
  { name: 'indexPut accumulate', fn: (a, v) => torch.indexPut(a, [long([1, 1])], v, true), inputs: (r) => [r([3, 2]), r([2, 2])] },
  {
    name: 'indexPut_ (setitem) on a view',
    fn: (a, v) => { const y = a.mul(1); y.indexPut_([':', 1], v); return y; },
    inputs: (r) => [r([3, 4]), r([3])],
    // NOTE: no second-derivative check: CopySlices (autograd/views.ts) runs its backward on raw
    // copies, so gradients through an in-place write into a view are not differentiable yet.
  },
  {
    name: 'indexPut_ (setitem) with a mask',
    fn: (a, v) => { const y = a.mul(1); y.indexPut_(mask([true, false, true]), v); return y; },
    inputs: (r) => [r([3, 2]), r([2])],
  },
  { name: 'gather', fn: (a) => a.gather(1, long([[0, 0], [2, 1]])), inputs: (r) => [r([2, 3])], twice: true },
  { name: 'scatter', fn: (a, s) => a.scatter(0, long([[1, 0, 2]]), s), inputs: (r) => [r([3, 3]), r([1, 3])], twice: true },
  { name: 'scatter value', fn: (a) => a.scatter(1, long([[1], [0]]), 2.5), inputs: (r) => [r([2, 3])] },
  { name: 'scatterAdd', fn: (a, s) => a.scatterAdd(0, long([[1, 1, 0]]), s), inputs: (r) => [r([2, 3]), r([1, 3])], twice: true },
  { name: 'maskedFill', fn: (a) => a.maskedFill(mask([true, false, true]), -1), inputs: (r) => [r([2, 3])] },
  { name: 'maskedFill tensor value', fn: (a, v) => a.maskedFill(mask([[true], [false]]), v), inputs: (r) => [r([2, 3]), r([])] },
  // rearranging copies and diagonals
  { name: 'repeat', fn: (a) => a.repeat(2, 1, 3), inputs: (r) => [r([2, 3])], twice: true },
  { name: 'flip', fn: (a) => a.flip([0, 2]), inputs: (r) => [r([2, 3, 2])], twice: true },
  { name: 'roll', fn: (a) => a.roll([1, -2], [0, 1]).add(torch.roll(a, 2)), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'tril / triu', fn: (a) => a.tril(-1).add(a.triu(1)), inputs: (r) => [r([2, 3, 4])], twice: true },
  { name: 'diagonal', fn: (a) => a.diagonal(1, 0, 2), inputs: (r) => [r([3, 2, 4])], twice: true },
  { name: 'diagEmbed', fn: (a) => a.diagEmbed(-1), inputs: (r) => [r([2, 3])], twice: true },
  { name: 'diag / trace', fn: (a, v) => torch.diag(a, 1).sum().add(torch.diag(v)).add(torch.trace(a)), inputs: (r) => [r([3, 4]), r([3])] },
  // joining and splitting
  { name: 'cat', fn: (a, b) => torch.cat([a, b], -1), inputs: (r) => [r([2, 3]), r([2, 2])], twice: true },
  { name: 'stack', fn: (a, b) => torch.stack([a, b], 1), inputs: (r) => [r([2, 3]), r([2, 3])], twice: true },
  { name: 'hstack / vstack', fn: (a, b) => torch.hstack([a, b]).add(torch.vstack([a, b]).sum()), inputs: (r) => [r([3]), r([3])] },
  { name: 'split', fn: (a) => torch.split(a, 2, 1), inputs: (r) => [r([2, 5])], twice: true },
  { name: 'split sizes (one piece unused)', fn: (a) => torch.split(a, [1, 3])[1], inputs: (r) => [r([4, 2])] },
  { name: 'chunk', fn: (a) => torch.chunk(a, 3), inputs: (r) => [r([5, 2])] },
  { name: 'unbind', fn: (a) => torch.unbind(a, 1), inputs: (r) => [r([2, 3])], twice: true },
  // linear algebra
  { name: 'mm', fn: (a, b) => torch.mm(a, b), inputs: (r) => [r([3, 4]), r([4, 2])], twice: true },
  { name: 'mm transposed operands', fn: (a, b) => torch.mm(a.t(), b.t()), inputs: (r) => [r([4, 3]), r([2, 4])] },
  { name: 'mv', fn: (a, v) => torch.mv(a, v), inputs: (r) => [r([3, 4]), r([4])], twice: true },
  { name: 'dot', fn: (a, b) => torch.dot(a, b), inputs: (r) => [r([5]), r([5])], twice: true },
  { name: 'bmm', fn: (a, b) => torch.bmm(a, b), inputs: (r) => [r([2, 3, 4]), r([2, 4, 2])], twice: true },
  { name: 'matmul 1d @ 2d', fn: (a, b) => torch.matmul(a, b), inputs: (r) => [r([3]), r([3, 4])], twice: true },
  { name: 'matmul 3d @ 2d', fn: (a, b) => torch.matmul(a, b), inputs: (r) => [r([2, 3, 4]), r([4, 2])] },
  { name: 'matmul 2d @ 3d', fn: (a, b) => torch.matmul(a, b), inputs: (r) => [r([3, 4]), r([2, 4, 2])], twice: true },
  { name: 'matmul 1d @ 3d', fn: (a, b) => torch.matmul(a, b), inputs: (r) => [r([4]), r([2, 4, 2])] },
  { name: 'matmul 3d @ 1d', fn: (a, b) => torch.matmul(a, b), inputs: (r) => [r([2, 3, 4]), r([4])] },
  { name: 'matmul 4d @ 3d broadcast', fn: (a, b) => torch.matmul(a, b), inputs: (r) => [r([2, 1, 3, 4]), r([3, 4, 2])] },
  // A vector without grad and a non-foldable batch take the bmm path with an unsqueezed vector.
  { name: 'matmul 4d @ 1d (bmm vector path)', fn: (a) => torch.matmul(a.transpose(1, 2), f64([0.5, -2])), inputs: (r) => [r([2, 3, 4, 2])] },
  { name: 'matmul 3d @ 3d batch 1', fn: (a, b) => torch.matmul(a, b), inputs: (r) => [r([1, 3, 4]), r([2, 4, 2])] },
  { name: 'outer', fn: (a, b) => torch.outer(a, b), inputs: (r) => [r([3]), r([4])] },
  { name: 'einsum bhqd,bhkd->bhqk', fn: (a, b) => torch.einsum('bhqd,bhkd->bhqk', a, b), inputs: (r) => [r([2, 2, 3, 4]), r([2, 2, 2, 4])], twice: true },
  { name: 'einsum ...ij,...jk', fn: (a, b) => torch.einsum('...ij,...jk', a, b), inputs: (r) => [r([2, 1, 3, 4]), r([3, 4, 2])] },
  { name: 'einsum iij->j and a,ab,b', fn: (a, v, m, w) => torch.einsum('iij->j', a).sum().add(torch.einsum('a,ab,b', v, m, w)), inputs: (r) => [r([3, 3, 2]), r([3]), r([3, 4]), r([4])] },
  // losses
  { name: 'mseLoss mean', fn: (a, b) => F.mseLoss(a, b), inputs: (r) => [r([3, 4]), r([3, 4])], twice: true },
  { name: 'mseLoss none', fn: (a, b) => F.mseLoss(a, b, { reduction: 'none' }), inputs: (r) => [r([3, 4]), r([3, 4])] },
  { name: 'l1Loss sum', fn: (a, b) => F.l1Loss(a, b, { reduction: 'sum' }), inputs: (r) => [r([3, 4], 1, 2), r([3, 4], -2, -1)] },
  { name: 'crossEntropy indices', fn: (a) => F.crossEntropy(a, long([2, 0, 1])), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'crossEntropy weight + ignore', fn: (a) => F.crossEntropy(a, long([2, -100, 1]), { weight: f64([0.5, 2, 1.5, 1]) }), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'crossEntropy weight + label smoothing', fn: (a) => F.crossEntropy(a, long([2, 0, 1]), { weight: f64([0.5, 2, 1.5, 1]), labelSmoothing: 0.1 }), inputs: (r) => [r([3, 4])] },
  { name: 'crossEntropy probabilities + weight', fn: (a, p) => F.crossEntropy(a, p, { weight: f64([0.5, 2, 1.5, 1]), labelSmoothing: 0.3 }), inputs: (r) => [r([3, 4]), r([3, 4], 0, 1)] },
  { name: 'crossEntropy sum', fn: (a) => F.crossEntropy(a, long([2, 0, 1]), { reduction: 'sum' }), inputs: (r) => [r([3, 4])] },
  { name: 'crossEntropy none', fn: (a) => F.crossEntropy(a, long([2, 0, 1]), { reduction: 'none' }), inputs: (r) => [r([3, 4])] },
  { name: 'crossEntropy label smoothing', fn: (a) => F.crossEntropy(a, long([2, 0, -100]), { labelSmoothing: 0.2 }), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'crossEntropy probabilities', fn: (a, p) => F.crossEntropy(a, p), inputs: (r) => [r([3, 4]), r([3, 4], 0, 1)], twice: true },
  { name: 'crossEntropy spatial', fn: (a) => F.crossEntropy(a, long([[0, 2], [1, 1]])), inputs: (r) => [r([2, 3, 2])], twice: true },
  { name: 'crossEntropy 1-D', fn: (a) => F.crossEntropy(a, torch.tensor(2)), inputs: (r) => [r([4])] },
  { name: 'nllLoss weight', fn: (a) => F.nllLoss(a, long([2, 0, 1]), { weight: f64([1, 2, 0.5, 3]) }), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'binaryCrossEntropy', fn: (p, y) => F.binaryCrossEntropy(p, y), inputs: (r) => [r([3, 2], 0.1, 0.9), r([3, 2], 0, 1)], twice: true },
  { name: 'binaryCrossEntropy weight none', fn: (p) => F.binaryCrossEntropy(p, torch.tensor([[0, 1], [1, 0]], { dtype: 'float64' }), { weight: f64([2, 0.5]), reduction: 'none' }), inputs: (r) => [r([2, 2], 0.1, 0.9)] },
  { name: 'bce with logits', fn: (z, y) => F.binaryCrossEntropyWithLogits(z, y), inputs: (r) => [r([3, 2], -3, 3), r([3, 2], 0, 1)], twice: true },
  {
    name: 'bce with logits pos_weight + weight',
    fn: (z, y) => F.binaryCrossEntropyWithLogits(z, y, { posWeight: f64([2, 0.5]), weight: f64([1.5, 1]) }),
    inputs: (r) => [r([3, 2], -3, 3), r([3, 2], 0, 1)],
    twice: true,
  },
  { name: 'logsigmoid', fn: (a) => F.logsigmoid(a), inputs: (r) => [r([5], -4, 4)], twice: true },
  // in-place through a view (CopySlices on the base, AsStridedBackward0 on the view)
  {
    name: 'mul_ through a slice',
    fn: (a, b) => { const y = a.mul(1); y.index('1:3').mul_(b); return y.pow(3); },
    inputs: (r) => [r([4]), r([2])],
    twice: true,
  },
  {
    name: 'mul_ through a transposed slice, read back through the view',
    fn: (a, b) => { const y = a.mul(1); const v = y.t().index(1); v.mul_(b); return [y.sin(), v.pow(2)]; },
    inputs: (r) => [r([3, 2]), r([3])],
    twice: true,
  },
  // normalisation
  { name: 'layerNorm affine', fn: (a, w, b) => F.layerNorm(a, [4], w, b), inputs: (r) => [r([3, 4]), r([4]), r([4])], twice: true },
  { name: 'layerNorm no affine', fn: (a) => F.layerNorm(a, [4], { eps: 1e-2 }), inputs: (r) => [r([3, 4])], twice: true },
  { name: 'layerNorm two dims', fn: (a, w) => F.layerNorm(a, [3, 2], w), inputs: (r) => [r([2, 3, 2]), r([3, 2])] },
];

describe('shape ops: finite-difference gradcheck (float64)', () => {
  checks.forEach((c, i) => {
    it(c.name, () => {
      const rand = makeRandom(1234 + i);
      const values = c.inputs(rand);
      const err = vjpError(c.fn, values, rand);
      assert.ok(err < TOL, `first derivative off by ${err}`);
      if (c.twice) {
        const err2 = gradgradError(c.fn, values, rand);
        assert.ok(err2 < TOL, `second derivative off by ${err2}`);
      }
    });
  });
});
