/**
 * The activation, normalisation, flatten and loss modules: each one computes what its
 * torch.nn.functional counterpart computes with the module's settings (same values, same
 * grad_fn), holds PyTorch's parameters/buffers, and honours `inplace`.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../src/lib/index';
import { nn } from '../../../src/lib/index';

const F = nn.functional;
type Tensor = torch.Tensor;

function same(a: Tensor, b: Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.deepEqual(Array.from(a._toArray()), Array.from(b._toArray()), `${what}: values`);
  assert.equal(a.gradFn?.name ?? null, b.gradFn?.name ?? null, `${what}: grad_fn`);
}

function input(): Tensor {
  torch.manualSeed(4);
  return torch.randn(3, 5).requiresGrad_();
}

describe('activation modules call torch.nn.functional with their settings', () => {
  const cases: [string, () => nn.Module, (x: Tensor) => Tensor][] = [
    ['ReLU', () => nn.ReLU(), (x) => F.relu(x)],
    ['Sigmoid', () => nn.Sigmoid(), (x) => F.sigmoid(x)],
    ['Tanh', () => nn.Tanh(), (x) => F.tanh(x)],
    ['GELU', () => nn.GELU(), (x) => F.gelu(x)],
    ['GELU tanh', () => nn.GELU('tanh'), (x) => F.gelu(x, { approximate: 'tanh' })],
    ['SiLU', () => nn.SiLU(), (x) => F.silu(x)],
    ['LeakyReLU', () => nn.LeakyReLU(0.2), (x) => F.leakyRelu(x, 0.2)],
    ['Softplus', () => nn.Softplus({ beta: 2, threshold: 1 }), (x) => F.softplus(x, { beta: 2, threshold: 1 })],
    ['Softmax', () => nn.Softmax(1), (x) => F.softmax(x, 1)],
    ['LogSoftmax', () => nn.LogSoftmax({ dim: 0 }), (x) => F.logSoftmax(x, 0)],
    ['Identity', () => nn.Identity(7, 'ignored'), (x) => x],
    ['Flatten', () => nn.Flatten(0), (x) => x.flatten(0, -1)],
  ];
  for (const [name, make, reference] of cases) {
    it(name, () => {
      const x = input();
      same(make()(x), reference(x), name);
    });
  }

  it('ReLU(inplace=True) writes into its input', () => {
    const x = torch.tensor([-1, 2, -3], { dtype: torch.float32 });
    const out = nn.ReLU(true)(x);
    assert.equal(out, x);
    assert.deepEqual(x.tolist(), [0, 2, 0]);
  });

  it('Identity returns its input object', () => {
    const x = input();
    assert.equal(nn.Identity()(x), x);
  });
});

describe('nn.LayerNorm', () => {
  it('has weight = 1 and bias = 0 of normalized_shape and computes F.layerNorm', () => {
    const ln = nn.LayerNorm(5, { eps: 1e-3 });
    assert.deepEqual(ln.namedParameters().map(([n, p]) => [n, p.shape]), [['weight', [5]], ['bias', [5]]]);
    assert.deepEqual(ln.weight!.tolist(), [1, 1, 1, 1, 1]);
    assert.deepEqual(ln.bias!.tolist(), [0, 0, 0, 0, 0]);
    const x = input();
    same(ln(x), F.layerNorm(x, [5], ln.weight, ln.bias, 1e-3), 'LayerNorm');
  });

  it('without elementwise affine it has no parameters (registered as None)', () => {
    const ln = nn.LayerNorm([3, 5], { elementwiseAffine: false });
    assert.deepEqual(ln.parameters(), []);
    assert.deepEqual([...ln._parameters.keys()], ['weight', 'bias']);
    const x = input();
    same(ln(x), F.layerNorm(x, [3, 5]), 'LayerNorm without affine');
  });
});

describe('loss modules call torch.nn.functional with their settings', () => {
  const logits = (): Tensor => input();
  const classes = torch.tensor([0, 4, 2]);
  const probs = (): Tensor => input().sigmoid();
  const targets01 = torch.tensor([[0, 1, 1, 0, 1], [1, 1, 0, 0, 0], [0, 0, 0, 1, 1]], { dtype: torch.float32 });
  const weight = torch.tensor([1, 2, 0.5, 1, 3], { dtype: torch.float32 });

  it('MSELoss / L1Loss', () => {
    const x = logits();
    const t = torch.zeros(3, 5);
    same(nn.MSELoss()(x, t), F.mseLoss(x, t), 'MSELoss');
    same(nn.L1Loss({ reduction: 'sum' })(x, t), F.l1Loss(x, t, { reduction: 'sum' }), 'L1Loss');
  });

  it('CrossEntropyLoss / NLLLoss with class weights (a buffer, like PyTorch)', () => {
    const x = logits();
    const ce = nn.CrossEntropyLoss({ weight, labelSmoothing: 0.1, ignoreIndex: 2 });
    same(ce(x, classes), F.crossEntropy(x, classes, { weight, labelSmoothing: 0.1, ignoreIndex: 2 }), 'CrossEntropyLoss');
    assert.deepEqual(ce.namedBuffers().map(([n]) => n), ['weight']);
    const lp = x.logSoftmax(1);
    same(nn.NLLLoss({ reduction: 'none' })(lp, classes), F.nllLoss(lp, classes, { reduction: 'none' }), 'NLLLoss');
  });

  it('BCELoss / BCEWithLogitsLoss', () => {
    const p = probs();
    same(nn.BCELoss()(p, targets01), F.binaryCrossEntropy(p, targets01), 'BCELoss');
    const x = logits();
    const posWeight = torch.tensor([1, 2, 3, 4, 5], { dtype: torch.float32 });
    same(nn.BCEWithLogitsLoss({ posWeight })(x, targets01), F.binaryCrossEntropyWithLogits(x, targets01, { posWeight }), 'BCEWithLogitsLoss');
  });

  it('an unknown reduction fails when the loss is computed, as in PyTorch', () => {
    const loss = nn.MSELoss({ reduction: 'avg' as 'mean' });
    assert.throws(() => loss(logits(), torch.zeros(3, 5)), { message: 'avg is not a valid value for reduction' });
  });
});
