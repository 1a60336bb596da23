/**
 * SGD / Adam / AdamW against trajectories recorded with PyTorch (fixtures/record.py): several
 * steps with random gradients (and a parameter without gradient on one step), compared bit for
 * bit with torch.optim.SGD and with PyTorch 2.x's Adam arithmetic, and within 1e-6 of
 * PyTorch 1.13's torch.optim.Adam (which updated the first moment without lerp).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../../src/lib/index';
import * as optim from '../../../src/lib/optim';
import { assertBitsEqual, assertClose, tensorFrom, type FixtureTensor } from '../nn/fixtureTensors';

interface OptimizerCase {
  id: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  kwargs: Record<string, number | boolean | number[]>;
  reference: 'torch.optim' | 'adam_2x_ops';
  initial_params: FixtureTensor[];
  steps: { grads: (FixtureTensor | null)[]; params_after: FixtureTensor[] }[];
  groups?: { params: number[]; kwargs?: Record<string, number> }[];
}

const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'optimizers.json'), 'utf8')) as { cases: OptimizerCase[] };

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function options(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camel(k), v]));
}

function build(c: OptimizerCase, params: torch.Tensor[]): optim.Optimizer<object> {
  const Cls = { SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW }[c.optimizer];
  const input = c.groups
    ? c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...options(g.kwargs ?? {}) }))
    : params;
  return new (Cls as unknown as new (p: unknown, o: unknown) => optim.Optimizer<object>)(input, options(c.kwargs));
}

describe('torch.optim against recorded PyTorch trajectories', () => {
  for (const c of fixtures.cases) {
    const exact = !c.id.endsWith('/torch_1_13');
    it(`${c.id} (${exact ? 'bit-exact' : 'rtol 1e-6'})`, () => {
      const params = c.initial_params.map((t) => tensorFrom(t, true));
      const opt = build(c, params);
      c.steps.forEach((step, k) => {
        params.forEach((p, i) => { p.grad = step.grads[i] === null ? null : tensorFrom(step.grads[i]!); });
        opt.step();
        params.forEach((p, i) => {
          const what = `${c.id} step ${k} param ${i}`;
          if (exact) assertBitsEqual(p, step.params_after[i], what);
          else assertClose(p, step.params_after[i], { rtol: 1e-6, atol: 1e-7 }, what);
        });
      });
    });
  }
});

describe('Optimizer API', () => {
  const leaf = (): torch.Tensor => torch.tensor([1, 2, 3], { dtype: torch.float32, requiresGrad: true });

  it('zeroGrad sets grads to null by default and zeroes them with setToNone=false', () => {
    const p = leaf();
    const opt = optim.SGD([p], { lr: 0.1 });
    p.grad = torch.ones(3);
    opt.zeroGrad();
    assert.equal(p.grad, null);
    p.grad = torch.ones(3);
    const g = p.grad;
    opt.zeroGrad(false);
    assert.equal(p.grad, g);
    assert.deepEqual(Array.from(p.grad!._toArray()), [0, 0, 0]);
  });

  it('skips parameters without gradient and keeps them unchanged', () => {
    const p = leaf();
    const opt = new optim.Adam([p], 0.1);
    opt.step();
    assert.deepEqual(Array.from(p._toArray()), [1, 2, 3]);
    assert.equal(opt.state.size, 0);
  });

  it('the update happens under no_grad (parameters stay leaves, no grad_fn)', () => {
    const p = leaf();
    const opt = optim.SGD([p], { lr: 0.5, momentum: 0.9 });
    p.grad = torch.ones(3);
    opt.step();
    assert.equal(p.gradFn, null);
    assert.equal(p.isLeaf, true);
    assert.deepEqual(Array.from(p._toArray()), [0.5, 1.5, 2.5]);
  });

  it('step(closure) evaluates the closure with grad enabled and returns its value', () => {
    const p = leaf();
    const opt = optim.SGD([p], { lr: 0.1 });
    const loss = torch.noGrad(() => opt.step(() => {
      opt.zeroGrad();
      const l = p.mul(p).sum();
      l.backward();
      return l;
    }));
    assert.equal(loss?.item(), 14);
    assert.deepEqual(Array.from(p._toArray()), [1 - 0.2, 2 - 0.4, 3 - 0.6].map(Math.fround));
  });

  it('bumps the parameter version like an in-place op (saved tensors see the change)', () => {
    const p = leaf();
    const y = p.mul(p).sum();
    const opt = optim.SGD([p], { lr: 0.1 });
    p.grad = torch.ones(3);
    opt.step();
    assert.throws(() => y.backward(), /modified by an inplace operation/);
  });

  it('reads non-contiguous gradients and updates non-contiguous parameters through their strides', () => {
    const base = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
    const p = base.t().requiresGrad_();
    const opt = optim.SGD([p], { lr: 1, momentum: 0.5 });
    p.grad = torch.tensor([1, 2], { dtype: torch.float32 }).expand(2, 2);
    opt.step();
    opt.step();
    // buf: g, then 0.5·g + g = 1.5·g; p ← p − g − 1.5·g
    assert.deepEqual(p.tolist(), [[1 - 2.5, 3 - 5], [2 - 2.5, 4 - 5]]);
    assert.deepEqual(base.tolist(), [[1 - 2.5, 2 - 2.5], [3 - 5, 4 - 5]]);
  });

  it('validates hyperparameters with PyTorch messages', () => {
    assert.throws(() => optim.SGD([leaf()], { lr: -1 }), { message: 'Invalid learning rate: -1' });
    assert.throws(() => optim.SGD([leaf()], { lr: 0.1, momentum: -0.5 }), { message: 'Invalid momentum value: -0.5' });
    assert.throws(() => optim.SGD([leaf()], { lr: 0.1, nesterov: true }), { message: 'Nesterov momentum requires a momentum and zero dampening' });
    assert.throws(() => optim.Adam([leaf()], { betas: [1, 0.999] }), { message: 'Invalid beta parameter at index 0: 1' });
    assert.throws(() => optim.Adam([leaf()], { eps: -1e-8 }), { message: 'Invalid epsilon value: -1e-08' });
    assert.throws(() => optim.SGD([], { lr: 0.1 }), { message: 'optimizer got an empty parameter list' });
    assert.throws(() => optim.SGD([leaf().mul(2)], { lr: 0.1 }), { message: "can't optimize a non-leaf Tensor" });
    const p = leaf();
    assert.throws(() => optim.SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 }),
      { message: 'some parameters appear in more than one parameter group' });
    assert.throws(() => optim.SGD(leaf() as unknown as torch.Tensor[], { lr: 0.1 }),
      { message: 'params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor' });
  });

  it('param groups take the defaults for what they do not set, and can be changed', () => {
    const a = leaf(), b = leaf();
    const opt = optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    assert.equal(opt.paramGroups[0].lr, 0.1);
    assert.equal(opt.paramGroups[1].lr, 0.5);
    assert.equal(opt.paramGroups[1].momentum, 0.9);
    opt.paramGroups[0].lr = 1;
    a.grad = torch.ones(3);
    opt.step();
    assert.deepEqual(Array.from(a._toArray()), [0, 1, 2]);
  });

  it('prints like PyTorch (keys sorted, PyTorch names)', () => {
    const opt = optim.SGD([leaf()], { lr: 0.1 });
    assert.equal(String(opt),
      'SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n' +
      '    lr: 0.1\n    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)');
    const adam = optim.AdamW([leaf()]);
    assert.match(String(adam), /^AdamW \(\nParameter Group 0\n    amsgrad: False\n    betas: \(0\.9, 0\.999\)\n/);
    assert.match(String(adam), /\n    eps: 1e-08\n/);
    assert.match(String(adam), /\n    weight_decay: 0\.01\n\)$/);
  });

  it('stateDict / loadStateDict carry the state to a fresh optimizer', () => {
    const make = (): [torch.Tensor, optim.Adam] => {
      const p = leaf();
      return [p, optim.Adam([p], { lr: 0.1 })];
    };
    const [p1, o1] = make();
    p1.grad = torch.ones(3);
    o1.step();
    const sd = o1.stateDict();
    assert.deepEqual([...sd.state.keys()], [0]);
    assert.deepEqual(sd.paramGroups[0].params, [0]);
    // Like torch.save + torch.load: the loaded dict does not share tensors with o1's state.
    const saved = {
      state: new Map([...sd.state].map(([id, s]) =>
        [id, Object.fromEntries(Object.entries(s).map(([k, t]) => [k, t === null ? null : t.clone()]))] as const)),
      paramGroups: sd.paramGroups.map((g) => ({ ...g })),
    };
    const [p2, o2] = make();
    torch.noGrad(() => p2.copy_(p1));
    o2.loadStateDict(saved);
    for (const [p, o] of [[p1, o1], [p2, o2]] as const) {
      p.grad = torch.full([3], 0.5, { dtype: torch.float32 });
      o.step();
    }
    assert.deepEqual(Array.from(p2._toArray()), Array.from(p1._toArray()));
  });
});
