/**
 * The fused gradient loops (NOTE [Fused gradient loops] in ops/kernels.ts) and mm's gradient
 * layouts (NOTE [Gradient layout of mm] in ops/linalg.ts) must give the values of the unfused
 * rules bit for bit. A pass with createGraph records its arithmetic and so always runs the rules
 * as composed tensor ops: each case compares a plain backward against that.
 */
import assert from 'node:assert/strict';
import * as torch from 'gradscope';

/** The values of `t` as a plain array (exact comparison with deepEqual, -0 and NaN included). */
function values(t: torch.Tensor): number[] {
  return Array.from(t.detach().contiguous()._toArray());
}

/** Gradients of `f(...inputs)` w.r.t. `inputs`: [fused (plain pass), unfused (createGraph pass)]. */
function bothWays(inputs: torch.Tensor[], f: () => torch.Tensor): [torch.Tensor[], torch.Tensor[]] {
  const fused = torch.autograd.grad(f(), inputs) as torch.Tensor[];
  const unfused = torch.autograd.grad(f(), inputs, { createGraph: true }) as torch.Tensor[];
  return [fused, unfused];
}

function assertSameGrads([fused, unfused]: [torch.Tensor[], torch.Tensor[]]): void {
  assert.equal(fused.length, unfused.length);
  fused.forEach((g, i) => {
    assert.deepEqual(g.shape, unfused[i].shape, `shape of gradient ${i}`);
    assert.equal(g.dtype, unfused[i].dtype, `dtype of gradient ${i}`);
    assert.deepEqual(values(g), values(unfused[i]), `values of gradient ${i}`);
  });
}

describe('fused gradient loops', () => {
  it('a scalar weight times a vector: the product summed in one loop (float32)', () => {
    torch.manualSeed(0);
    const s = torch.randn([], { requiresGrad: true });
    const v = torch.randn([2001]);
    const w = torch.randn([2001]);
    assertSameGrads(bothWays([s], () => s.mul(v).mul(w).sum()));
    // Operand order and a non-multiple-of-four length.
    const u = torch.randn([7]);
    assertSameGrads(bothWays([s], () => v.narrow(0, 3, 7).mul(s).mul(u).sum()));
  });

  it('a one-element weight of shape [1] or [1, 1] against a matrix, and float64', () => {
    torch.manualSeed(1);
    const a = torch.randn([1], { requiresGrad: true });
    const b = torch.randn([1, 1], { requiresGrad: true });
    const m = torch.randn([4, 6]);
    const w = torch.randn([4, 6]);
    assertSameGrads(bothWays([a, b], () => m.mul(a).mul(b).mul(w).sum()));
    const s = torch.randn([], { dtype: torch.float64, requiresGrad: true });
    const v = torch.randn([33], { dtype: torch.float64 });
    const w64 = torch.randn([33], { dtype: torch.float64 });
    assertSameGrads(bothWays([s], () => s.mul(v).mul(w64).sum()));
  });

  it('pow(2) and pow(3) with a full gradient and with the broadcast gradient of a sum', () => {
    torch.manualSeed(2);
    const x = torch.randn([1003], { requiresGrad: true });
    const w = torch.randn([1003]);
    assertSameGrads(bothWays([x], () => x.pow(2).sum()));
    assertSameGrads(bothWays([x], () => x.pow(3).sum()));
    assertSameGrads(bothWays([x], () => x.pow(2).mul(w).sum()));
    assertSameGrads(bothWays([x], () => x.pow(3).mul(w).sum()));
    // A non-contiguous input takes the unfused rule; the values must agree all the same.
    const m = torch.randn([5, 4], { requiresGrad: true });
    assertSameGrads(bothWays([m], () => m.t().pow(3).mul(w.narrow(0, 0, 20).reshape(4, 5)).sum()));
  });

  it('large magnitudes round where the unfused tensors were stored (overflow to infinity)', () => {
    const x = torch.tensor([3e38, -2e38, 1e-30, 0], { requiresGrad: true });
    const s = torch.tensor(2e38, { requiresGrad: true });
    assertSameGrads(bothWays([x], () => x.pow(2).sum()));
    assertSameGrads(bothWays([x, s], () => x.mul(s).mul(torch.tensor([1, 2, 3, 4])).sum()));
  });
});

describe('mm gradient layouts', () => {
  it('a transposed weight (linear) gets a contiguous gradient with the same values', () => {
    torch.manualSeed(3);
    const x = torch.randn([6, 9], { requiresGrad: true });
    const weight = torch.randn([5, 9], { requiresGrad: true });
    const bias = torch.randn([5], { requiresGrad: true });
    const g = torch.randn([6, 5]);
    torch.nn.functional.linear(x, weight, bias).mul(g).sum().backward();
    assert.ok(weight.grad!.isContiguous());
    // The unfused formula of the weight's gradient: (xᵀ·g)ᵀ computed in x's layout, then transposed.
    assert.deepEqual(values(weight.grad!), values(x.detach().t().mm(g).t()));
    assert.deepEqual(values(x.grad!), values(g.mm(weight.detach())));
  });

  it('column-major first operands and mixed layouts agree with the recorded rules', () => {
    torch.manualSeed(4);
    const a = torch.randn([7, 5], { requiresGrad: true });
    const b = torch.randn([9, 7], { requiresGrad: true });
    assertSameGrads(bothWays([a, b], () => a.t().mm(b.t()).pow(2).sum()));
    assertSameGrads(bothWays([a, b], () => b.mm(a).mul(b.mm(a)).sum()));
    const bias = torch.randn([9], { requiresGrad: true });
    assertSameGrads(bothWays([a, b, bias], () => torch.addmm(bias, a.t(), b.t(), { alpha: 0.5 }).pow(2).sum()));
  });
});

describe('branch-free relu loops', () => {
  it('relu and its backward keep NaN, send −0 to +0, and agree with the float64 loops', () => {
    const data = [NaN, -0, 0, 1e-45, -1e-45, Infinity, -Infinity, 2.5, -2.5, 3e38];
    const grads = [1, -2, NaN, -0, 5, 6, -7, 8, 9, Infinity];
    // float32 runs the masked loops; float64 the plain ones (every value here is exact in both).
    const x = torch.tensor(data, { requiresGrad: true });
    const x64 = torch.tensor(data, { dtype: torch.float64, requiresGrad: true });
    const y = torch.nn.functional.relu(x);
    const y64 = torch.nn.functional.relu(x64);
    y.backward(torch.tensor(grads));
    y64.backward(torch.tensor(grads, { dtype: torch.float64 }));
    assert.deepEqual(values(y), values(y64.float()));
    assert.deepEqual(values(x.grad!), values(x64.grad!.float()));
    assert.ok(Object.is(values(y)[1], 0) && Number.isNaN(values(y)[0]));
  });
});
