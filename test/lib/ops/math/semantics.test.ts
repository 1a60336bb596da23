/**
 * PyTorch behaviours of the math ops that ops.json does not pin down: type promotion, rounding
 * modes, error messages, graph structure of scalar overloads, in-place variants, NaN handling,
 * the named-tuple result of max/min(dim) and the smaller companions (round, nanToNum, isclose ...).
 * Expected values are PyTorch's (checked against PyTorch 1.13/2.x semantics).
 */
import assert from 'node:assert/strict';
import * as torch from '../../../../src/lib/index';
import type { Tensor } from '../../../../src/lib/index';
import { wrapScalar } from '../../../../src/lib/ops/promote';

const f32 = { dtype: torch.float32 };

function values(t: Tensor): unknown {
  return t.tolist();
}

function nodeOf(t: Tensor): [string | null, (string | null)[]] {
  const fn = t.gradFn;
  return [fn ? fn.name : null, fn ? fn.nextFunctions.map(([n]) => (n ? n.name : null)) : []];
}

function throwsWith(fn: () => unknown, type: string, message: string): void {
  assert.throws(fn, (e: Error) => {
    assert.equal(e.name, type);
    assert.equal(e.message, message);
    return true;
  });
}

describe('math ops: PyTorch semantics', () => {
  describe('type promotion', () => {
    it('integer, bool and float operands', () => {
      const i = torch.tensor([1, 2]);
      assert.equal(i.add(i).dtype, 'int64');
      assert.equal(i.mul(2.5).dtype, 'float32');
      assert.deepEqual(values(i.mul(2.5)), [2.5, 5]);
      assert.equal(i.div(2).dtype, 'float32');
      assert.deepEqual(values(i.div(2)), [0.5, 1]);
      assert.equal(torch.tensor([true]).add(torch.tensor([false])).dtype, 'bool');
      assert.deepEqual(values(torch.tensor([true]).add(torch.tensor([false]))), [true]);
      assert.deepEqual(values(torch.tensor([true]).mul(torch.tensor([false]))), [false]);
      assert.equal(torch.tensor([true, true]).sum().dtype, 'int64');
      assert.equal(torch.exp(torch.tensor([0, 1])).dtype, 'float32');
      assert.equal(torch.abs(torch.tensor([-3, 2])).dtype, 'int64');
      assert.equal(torch.sqrt(torch.tensor([4])).dtype, 'float32');
      assert.equal(torch.tensor([1, 2]).gt(1.5).dtype, 'bool');
    });

    it('a Python float that JavaScript cannot tell from an int: a wrapped float scalar', () => {
      // int64 + 2.0 is float in Python; JS passes 2. The oracle tests pass such floats as PyTorch
      // itself represents them: wrapped 0-dim float tensors (lowest promotion priority).
      const r = torch.tensor([1, 2]).add(wrapScalar(2, 'float64'));
      assert.equal(r.dtype, 'float32');
      assert.deepEqual(values(r), [3, 4]);
      assert.equal(torch.tensor([1, 2]).add(2).dtype, 'int64');
    });

    it('a 0-dim tensor does not decide the dtype of a dimensioned one', () => {
      const a = torch.tensor([1, 2], f32);
      const b = torch.tensor(3, { dtype: torch.float64 });
      assert.equal(a.mul(b).dtype, 'float32');
      assert.equal(torch.tensor([1, 2]).mul(torch.tensor(1.5)).dtype, 'float32');
    });

    it('clamp promotes with its bounds', () => {
      assert.deepEqual(values(torch.clamp(torch.tensor([1, 5, 9]), 2, 7)), [2, 5, 7]);
      const c = torch.clamp(torch.tensor([1, 5, 9]), 2.5);
      assert.equal(c.dtype, 'float32');
      assert.deepEqual(values(c), [2.5, 5, 9]);
    });
  });

  describe('leaves asking for gradients without a dtype', () => {
    // JavaScript has no float literal: `[1, 2]` is how Python's `[1., 2.]` is written.
    it('infer the default float dtype from integral numbers', () => {
      const a = torch.tensor([1, 2, 3], { requiresGrad: true });
      assert.equal(a.dtype, torch.float32);
      assert.equal(String(a), 'tensor([1., 2., 3.], requires_grad=True)');
      assert.equal(torch.tensor(2, { requiresGrad: true }).dtype, torch.float32);
      assert.equal(torch.full([2], 3, { requiresGrad: true }).dtype, torch.float32);
      assert.equal(torch.arange(4, { requiresGrad: true }).dtype, torch.float32);
    });
    it('follow the default dtype', () => {
      torch.setDefaultDtype(torch.float64);
      try {
        assert.equal(torch.tensor([1, 2], { requiresGrad: true }).dtype, torch.float64);
      } finally {
        torch.setDefaultDtype(torch.float32);
      }
    });
    it('keep PyTorch\'s error for an explicit integral dtype or booleans', () => {
      const message = 'Only Tensors of floating point and complex dtype can require gradients';
      throwsWith(() => torch.tensor([1, 2], { dtype: torch.int64, requiresGrad: true }), 'RuntimeError', message);
      throwsWith(() => torch.tensor([true], { requiresGrad: true }), 'RuntimeError', message);
    });
    it('leave int64 inference alone without requiresGrad', () => {
      assert.equal(torch.tensor([1, 2]).dtype, torch.int64);
      assert.equal(torch.arange(3).dtype, torch.int64);
    });
  });

  describe('division', () => {
    const a = torch.tensor([-7, 7, -7, 7, 0.5, -0, 3]);
    const b = torch.tensor([2, -2, -2, 2, 0.3, 5, 0]);
    it('floor and trunc rounding modes (Python floor division, signed zeros)', () => {
      const floor = torch.div(a, b, { roundingMode: 'floor' });
      assert.deepEqual(values(floor), [-4, -4, 3, 3, 1, -0, Infinity]);
      assert.ok(Object.is(floor._get(5), -0));
      assert.deepEqual(values(torch.div(a, b, { roundingMode: 'trunc' })), [-3, -3, 3, 3, 1, -0, Infinity]);
      assert.deepEqual(values(torch.div(torch.tensor([-7, 7]), torch.tensor([2, -2]), { roundingMode: 'floor' })), [-4, -4]);
      assert.deepEqual(values(torch.tensor([3]).floorDivide(2)), [1]);
    });
    it('integer division by zero with rounding raises', () => {
      throwsWith(() => torch.div(torch.tensor([1]), torch.tensor([0]), { roundingMode: 'floor' }), 'RuntimeError', 'ZeroDivisionError');
    });
    it('rounded division has zero gradients (DivBackward2)', () => {
      const x = torch.tensor([1.5, -2.5], { requiresGrad: true });
      const y = torch.div(x, 2, { roundingMode: 'floor' });
      assert.equal(nodeOf(y)[0], 'DivBackward2');
      y.sum().backward();
      assert.deepEqual(values(x.grad!), [0, 0]);
    });
    it('number / tensor is reciprocal then multiply', () => {
      const x = torch.tensor([2, 4], { dtype: torch.float32, requiresGrad: true });
      const y = torch.div(2.5, x);
      assert.deepEqual(nodeOf(y), ['MulBackward0', ['ReciprocalBackward0', null]]);
      assert.deepEqual(values(y), [1.25, 0.625]);
    });
  });

  describe('remainder and fmod', () => {
    it('take the sign of the divisor (remainder) or of the dividend (fmod)', () => {
      const x = torch.tensor([-3.5, 2, 7], { dtype: torch.float32, requiresGrad: true });
      const y = torch.tensor([2, -3, 0], { dtype: torch.float32, requiresGrad: true });
      assert.deepEqual(values(torch.remainder(x, 3)), [2.5, 2, 1]);
      assert.deepEqual(values(torch.remainder(x, y)), [0.5, -1, NaN]);
      assert.deepEqual(values(torch.fmod(x, y)), [-1.5, 2, NaN]);
      assert.deepEqual(values(torch.fmod(x, 3)), [-0.5, 2, 1]);
      assert.deepEqual(values(torch.remainder(torch.tensor([-7, 7]), torch.tensor([3, -3]))), [2, -2]);
      assert.deepEqual(values(torch.remainder(2, torch.tensor([3, -3], f32))), [2, -1]);
      throwsWith(() => torch.remainder(torch.tensor([1]), torch.tensor([0])), 'RuntimeError', 'ZeroDivisionError');
    });
    it('record RemainderBackward0/1 and FmodBackward0/1', () => {
      const x = torch.tensor([1.5], { dtype: torch.float32, requiresGrad: true });
      const y = torch.tensor([0.7], { dtype: torch.float32, requiresGrad: true });
      assert.deepEqual(nodeOf(x.remainder(3)), ['RemainderBackward0', ['AccumulateGrad']]);
      assert.deepEqual(nodeOf(x.remainder(y)), ['RemainderBackward1', ['AccumulateGrad', 'AccumulateGrad']]);
      assert.deepEqual(nodeOf(x.fmod(3)), ['FmodBackward0', ['AccumulateGrad']]);
      assert.deepEqual(nodeOf(x.fmod(y)), ['FmodBackward1', ['AccumulateGrad', 'AccumulateGrad']]);
    });
  });

  describe('errors', () => {
    it('bool subtraction and negation', () => {
      throwsWith(() => torch.tensor([true]).sub(torch.tensor([false])), 'RuntimeError',
        'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
      throwsWith(() => torch.sub(1, torch.tensor([true])), 'RuntimeError',
        'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
      throwsWith(() => torch.tensor([true]).neg(), 'RuntimeError',
        'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
    });
    it('alpha, integer powers, mean of integers, clamp without bounds', () => {
      throwsWith(() => torch.add(torch.tensor([1]), torch.tensor([2]), { alpha: 0.5 }), 'RuntimeError',
        'For integral input tensors, argument alpha must not be a floating point number.');
      throwsWith(() => torch.tensor([2]).pow(-1), 'RuntimeError', 'Integers to negative integer powers are not allowed.');
      throwsWith(() => torch.mean(torch.tensor([1, 2])), 'RuntimeError',
        'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long');
      throwsWith(() => torch.clamp(torch.tensor([1.5])), 'RuntimeError', "torch.clamp: At least one of 'min' or 'max' must not be None");
    });
    it('in-place results must fit the tensor', () => {
      throwsWith(() => torch.tensor([1, 2]).add_(0.5), 'RuntimeError', "result type Float can't be cast to the desired output type Long");
      const x = torch.tensor([1, 2], { dtype: torch.float32, requiresGrad: true });
      throwsWith(() => x.add_(1), 'RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.');
    });
    it('reduction dims', () => {
      throwsWith(() => torch.sum(torch.ones(2, 3), [1, -1]), 'RuntimeError', 'dim 1 appears multiple times in the list of dims');
      throwsWith(() => torch.sum(torch.ones(2, 3), 2), 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)');
      throwsWith(() => torch.max(torch.ones(0)), 'RuntimeError',
        "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    });
  });

  describe('graph structure of scalar overloads', () => {
    const x = torch.tensor([1, 2], { dtype: torch.float32, requiresGrad: true });
    it('a wrapped number is an input without an edge; a Scalar overload has no input at all', () => {
      assert.deepEqual(nodeOf(torch.mul(2, x)), ['MulBackward0', ['AccumulateGrad', null]]);
      assert.deepEqual(nodeOf(x.add(1)), ['AddBackward0', ['AccumulateGrad', null]]);
      assert.deepEqual(nodeOf(torch.sub(2, x)), ['RsubBackward1', ['AccumulateGrad']]);
      assert.deepEqual(nodeOf(x.pow(2)), ['PowBackward0', ['AccumulateGrad']]);
      assert.deepEqual(nodeOf(torch.pow(2, x)), ['PowBackward2', ['AccumulateGrad']]);
      assert.deepEqual(nodeOf(torch.clamp(x, { min: 0 })), ['ClampBackward1', ['AccumulateGrad']]);
      assert.deepEqual(nodeOf(torch.clamp(x, { min: torch.tensor(0) })), ['ClampBackward0', ['AccumulateGrad', null, null]]);
      assert.deepEqual(nodeOf(torch.where(x.gt(1), x, 0)), ['WhereBackward0', ['AccumulateGrad', null]]);
      assert.deepEqual(nodeOf(torch.square(x)), ['PowBackward0', ['AccumulateGrad']]);
    });
    it('2 - x differentiates to -1', () => {
      const y = torch.sub(2, x);
      assert.deepEqual(values(y), [1, 0]);
      const [g] = torch.autograd.grad(y.sum(), [x]);
      assert.deepEqual(values(g!), [-1, -1]);
    });
  });

  describe('in-place variants', () => {
    it('record the op as the new grad_fn and bump the version', () => {
      const x = torch.tensor([1, 2], { dtype: torch.float32, requiresGrad: true });
      const y = x.mul(2);
      y.add_(1);
      assert.equal(y.gradFn!.name, 'AddBackward0');
      assert.equal(y._version, 1);
      y.exp_();
      assert.equal(y.gradFn!.name, 'ExpBackward0');
      y.sum().backward();
      // d/dx exp(2x + 1) = 2·exp(2x + 1)
      const g = x.grad!._toArray();
      assert.ok(Math.abs(g[0] - 2 * Math.exp(3)) < 1e-4 && Math.abs(g[1] - 2 * Math.exp(5)) < 1e-3);
    });
    it('clamp_, relu_, div_ and the rest', () => {
      const x = torch.tensor([1, 2], { dtype: torch.float32, requiresGrad: true });
      const z = x.mul(1);
      z.clamp_({ min: 1.5 });
      assert.equal(z.gradFn!.name, 'ClampBackward1');
      z.relu_();
      assert.equal(z.gradFn!.name, 'ReluBackward0');
      assert.deepEqual(values(z), [1.5, 2]);
      const w = torch.tensor([4, 9], f32);
      w.sqrt_().div_(2).sub_(torch.tensor([1, 1], f32), { alpha: 0.5 }).mul_(2).pow_(2);
      assert.deepEqual(values(w), [1, 4]); // ((√[4, 9] / 2 − 0.5·1)·2)²
      const v = torch.tensor([-1.5, 0.2], f32);
      v.abs_().neg_().sigmoid_();
      assert.ok(Math.abs(v._get(0) - 1 / (1 + Math.exp(1.5))) < 1e-7);
    });
    it('a saved input overwritten in place fails the backward', () => {
      const x = torch.tensor([1, 2], { dtype: torch.float32, requiresGrad: true });
      const y = x.mul(1);
      const z = y.exp(); // saves its result
      z.mul_(2);
      assert.throws(() => z.sum().backward(), /modified by an inplace operation/);
      void y;
    });
  });

  describe('max / min and friends', () => {
    it('max(dim) returns values and indices, as object, tuple and iterable', () => {
      const a = torch.tensor([[1, 5, 5], [7, 0, 7]], f32);
      const r = torch.max(a, 1);
      assert.deepEqual(values(r.values), [5, 7]);
      assert.deepEqual(values(r.indices), [1, 0]);
      assert.equal(r[0], r.values);
      assert.equal(r[1], r.indices);
      const [v, i] = a.min(1, { keepdim: true });
      assert.deepEqual(values(v), [[1], [0]]);
      assert.deepEqual(values(i), [[0], [1]]);
      const { values: mv } = a.max({ dim: 0 });
      assert.deepEqual(values(mv), [7, 5, 7]);
      assert.equal(String(torch.max(torch.tensor([1, 2], f32), 0)),
        'torch.return_types.max(\nvalues=tensor(2.),\nindices=tensor(1))');
    });
    it('NaN propagates through max and wins argmax', () => {
      const a = torch.tensor([1, NaN, 3, NaN], f32);
      assert.ok(Number.isNaN(torch.max(a).item()));
      assert.equal(torch.argmax(a).item(), 1);
      assert.equal(torch.max(a.reshape(1, 4), 1).indices.item(), 1);
      assert.deepEqual(values(torch.maximum(torch.tensor([1, NaN], f32), torch.tensor([2, 0], f32))), [2, NaN]);
    });
    it('full-reduction ties share the gradient; dim reductions give it to the first index', () => {
      const a = torch.tensor([[3, 1, 3]], { dtype: torch.float32, requiresGrad: true });
      torch.max(a).backward();
      assert.deepEqual(values(a.grad!), [[0.5, 0, 0.5]]);
      const b = torch.tensor([[3, 1, 3]], { dtype: torch.float32, requiresGrad: true });
      torch.max(b, 1).values.sum().backward();
      assert.deepEqual(values(b.grad!), [[1, 0, 0]]);
    });
    it('argmax/argmin, all/any, prod and cumsum dtypes', () => {
      const a = torch.tensor([[1, 9, 3], [8, 2, 8]], f32);
      assert.deepEqual(values(torch.argmax(a, 1)), [1, 0]);
      assert.deepEqual(values(torch.argmin(a, { dim: 0, keepdim: true })), [[0, 1, 0]]);
      assert.deepEqual(values(torch.all(torch.tensor([[true, false], [true, true]]), 1)), [false, true]);
      assert.equal(torch.any(torch.tensor([0, 0], f32)).item(), false);
      assert.deepEqual(values(torch.prod(torch.tensor([[1, 2], [3, 4]]), 1)), [2, 12]);
      assert.equal(torch.prod(torch.tensor([true, true])).dtype, 'int64');
      assert.deepEqual(values(torch.cumsum(torch.tensor([true, true]), 0)), [1, 2]);
      assert.deepEqual(values(torch.cumsum(torch.tensor([[1, 2], [3, 4]], f32), 1)), [[1, 3], [3, 7]]);
      assert.equal(torch.sum(torch.tensor([[true, false], [true, true]])).item(), 3);
    });
  });

  describe('layouts and edge shapes', () => {
    const base = torch.tensor([[0.3, -1.2, 2.0], [1.5, 0.7, -0.4], [-2.2, 0.9, 1.1], [0.5, -0.6, 0.2]], f32);
    const ops: [string, (t: Tensor) => Tensor][] = [
      ['exp', (t) => t.exp()], ['add', (t) => t.add(t)], ['mul row', (t) => t.mul(torch.tensor([1, 2, 3, 4], f32))],
      ['sum dim', (t) => t.sum(0)], ['sum dims', (t) => t.sum([0, 1])], ['mean', (t) => t.mean(1, { keepdim: true })],
      ['prod', (t) => t.prod(1)], ['max dim', (t) => t.max(1).values], ['argmax', (t) => t.argmax(0)],
      ['amax', (t) => t.amax(0)], ['logsumexp', (t) => t.logsumexp(1)], ['var', (t) => t.var(0)], ['std', (t) => t.std(1)],
      ['softmax', (t) => t.softmax(0)], ['logSoftmax', (t) => t.logSoftmax(1)], ['cumsum', (t) => t.cumsum(0)],
      ['clamp', (t) => t.clamp(-0.5, 0.5)], ['where', (t) => torch.where(t.gt(0), t, t.neg())],
    ];
    for (const [name, op] of ops) {
      it(`${name} of a transposed (non-contiguous) input equals that of its contiguous copy`, () => {
        const t = base.t();
        assert.equal(t.isContiguous(), false);
        assert.deepEqual(values(op(t)), values(op(t.contiguous())));
      });
    }
    it('0-dim inputs reduce over dim 0', () => {
      const s = torch.tensor(2.5, f32);
      assert.equal(s.sum(0).item(), 2.5);
      assert.equal(s.mean(0).item(), 2.5);
      assert.equal(torch.softmax(s, 0).item(), 1);
      const m = torch.max(s, 0);
      assert.deepEqual([m.values.item(), m.indices.item(), m.values.dim()], [2.5, 0, 0]);
      assert.equal(torch.logsumexp(s, 0).item(), 2.5);
      assert.equal(s.prod(0).item(), 2.5);
    });
    it('empty inputs', () => {
      const e = torch.zeros(0);
      assert.equal(e.sum().item(), 0);
      assert.ok(Number.isNaN(e.mean().item()));
      assert.equal(e.prod().item(), 1);
      assert.equal(torch.logsumexp(e, 0).item(), -Infinity);
      assert.deepEqual(values(torch.zeros(0, 3).sum(0)), [0, 0, 0]);
      throwsWith(() => torch.zeros(2, 0).max(1), 'IndexError', 'max(): Expected reduction dim 1 to have non-zero size.');
      throwsWith(() => torch.argmax(e), 'IndexError', 'argmax(): Expected reduction dim to be specified for input.numel() == 0.');
      throwsWith(() => torch.amax(e), 'RuntimeError',
        "amax(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    });
  });

  describe('numerics', () => {
    it('logsumexp of all -inf is -inf, with +inf is +inf', () => {
      assert.deepEqual(values(torch.logsumexp(torch.tensor([[-Infinity, -Infinity], [Infinity, 1]]), 1)), [-Infinity, Infinity]);
    });
    it('softmax is stable for large inputs and warns without dim', () => {
      const s = torch.softmax(torch.tensor([[1000, 1001]], f32), 1);
      assert.ok(Math.abs(s._get(1) - 1 / (1 + Math.exp(-1))) < 1e-6);
      const { warnings } = torch.catchWarnings(() => torch.nn.functional.softmax(torch.tensor([1, 2], f32)));
      assert.deepEqual(warnings.map((w) => w.message),
        ['Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.']);
    });
    it('var warns when the degrees of freedom are not positive', () => {
      const { result, warnings } = torch.catchWarnings(() => torch.var(torch.tensor([1], f32)));
      assert.ok(Number.isNaN(result.item()));
      assert.deepEqual(warnings.map((w) => w.message),
        ['var(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor (input numel divided by output numel).']);
    });
    it('round is half-to-even, with decimals', () => {
      const r = torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5, -2.5], f32));
      assert.deepEqual(values(r), [0, 2, 2, -0, -2]);
      assert.ok(Object.is(r._get(3), -0));
      assert.deepEqual(values(torch.round(torch.tensor([1.2345, 12.5], f32), { decimals: 2 })), [Math.fround(1.23), 12.5]);
    });
    it('sign, nanToNum, isclose, allclose, equal', () => {
      assert.deepEqual(values(torch.sign(torch.tensor([-2, 0, 3, NaN], f32))), [-1, 0, 1, 0]);
      assert.deepEqual(values(torch.nanToNum(torch.tensor([NaN, Infinity, -Infinity], f32))),
        [0, 3.4028234663852886e38, -3.4028234663852886e38]);
      assert.deepEqual(values(torch.isclose(torch.tensor([1, Infinity, NaN], f32), torch.tensor([1.00001, Infinity, NaN], f32))),
        [false, true, false]);
      assert.deepEqual(values(torch.isclose(torch.tensor([NaN], f32), torch.tensor([NaN], f32), { equalNan: true })), [true]);
      assert.equal(torch.allclose(torch.tensor([1], f32), torch.tensor([1 + 1e-7], f32)), true);
      assert.equal(torch.equal(torch.tensor([1, 2], f32), torch.tensor([1, 2], f32)), true);
      assert.equal(torch.equal(torch.tensor([1, 2], f32), torch.tensor([1, 3], f32)), false);
    });
    it('add with alpha is one fused multiply-add in float32', () => {
      // 1 + 0.1·3 rounds once: fma32(0.1f, 3, 1), not fround(1 + fround(0.1f·3)).
      const a = torch.tensor([1], f32), b = torch.tensor([3], f32);
      const got = torch.add(a, b, { alpha: 0.1 }).item();
      assert.equal(got, Math.fround(1 + Math.fround(0.1) * 3));
    });
    it('comparisons with Python numbers compare in the tensor dtype', () => {
      // float32(0.1) == 0.1 in float32 arithmetic, although 0.1f !== 0.1 as doubles.
      assert.equal(torch.tensor([0.1], f32).eq(0.1).item(), true);
      assert.deepEqual(values(torch.tensor([1, 2, 3]).ge(2)), [false, true, true]);
      assert.deepEqual(values(torch.logicalNot(torch.tensor([true, false]))), [false, true]);
      assert.deepEqual(values(torch.isfinite(torch.tensor([1, Infinity, NaN], f32))), [true, false, false]);
    });
  });
});
