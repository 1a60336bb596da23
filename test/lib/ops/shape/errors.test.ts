/**
 * Error and warning messages of the shape / indexing / joining / linear-algebra / loss ops:
 * first every message PyTorch 2.11 recorded in autograd.json (errors/*, warnings/*), looked up
 * by the step's variable, then messages taken from ATen / torch.nn.functional sources.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as torch from '../../../../src/lib/index';
import { TorchError } from '../../../../src/lib/errors';
import { ORACLE_DIR } from './oracleCase';

const F = torch.nn.functional;

interface Step { let?: string; expect?: { error?: { type: string; message: string }; warnings?: { message: string }[] } }
interface Case { id: string; steps: Step[] }

const autograd = JSON.parse(readFileSync(resolve(ORACLE_DIR, 'autograd.json'), 'utf8')) as Case[];

function fixtureError(caseId: string, variable: string): { type: string; message: string } {
  const c = autograd.find((x) => x.id === caseId);
  const step = c?.steps.find((s) => s.let === variable);
  const err = step?.expect?.error;
  if (!err) throw new Error(`no recorded error for ${caseId} / ${variable}`);
  return err;
}

function expectError(fn: () => unknown, type: string, message: string): void {
  let thrown: unknown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof TorchError, `expected ${type}: ${message}\n  got ${thrown === null ? 'no error' : String(thrown)}`);
  assert.equal(thrown.pyType, type);
  assert.equal(thrown.message, message);
}

const long = (data: number[]) => torch.tensor(data, { dtype: 'int64' });

describe('shape ops: error messages recorded from PyTorch (autograd.json)', () => {
  const fromFixture = (caseId: string, variable: string, fn: () => unknown) => {
    it(`${caseId} / ${variable}`, () => {
      const { type, message } = fixtureError(caseId, variable);
      expectError(fn, type, message);
    });
  };
  const a = torch.ones(5, 3);
  const b = torch.ones(4, 2);
  fromFixture('errors/matmul_shape_mismatch', 'c', () => torch.matmul(a, b));
  fromFixture('errors/matmul_shape_mismatch', 'c2', () => torch.mm(a, b));

  const v3 = torch.ones(3);
  const v4 = torch.ones(4);
  const b3 = torch.ones(2, 5, 3);
  fromFixture('errors/matmul_other_mismatches', 'd', () => torch.matmul(v3, v4));
  fromFixture('errors/matmul_other_mismatches', 'e', () => torch.matmul(a, v4));
  fromFixture('errors/matmul_other_mismatches', 'f', () => torch.matmul(v4, a));
  fromFixture('errors/matmul_other_mismatches', 'g', () => torch.bmm(b3, torch.ones(2, 4, 2)));
  fromFixture('errors/matmul_other_mismatches', 'h', () => torch.bmm(b3, torch.ones(3, 3, 2)));
  fromFixture('errors/matmul_other_mismatches', 'i', () => torch.mm(v3, a));
  fromFixture('errors/matmul_other_mismatches', 'j', () => torch.matmul(torch.tensor(2, { dtype: 'float32' }), v3));

  fromFixture('errors/shape_op_errors', 'v', () => a.view(4, 4));
  fromFixture('errors/shape_op_errors', 'r', () => a.reshape(6, -1));
  fromFixture('errors/shape_op_errors', 'v2', () => a.t().view(-1));
  fromFixture('errors/shape_op_errors', 'e', () => a.expand(5, 4));
  fromFixture('errors/shape_op_errors', 'c', () => torch.cat([a, torch.ones(4, 4)]));
  fromFixture('errors/shape_op_errors', 'st', () => torch.stack([a, torch.ones(4, 4)]));
  fromFixture('errors/shape_op_errors', 'sq', () => torch.squeeze(a, 2));
  fromFixture('errors/shape_op_errors', 'us', () => torch.unsqueeze(a, 3));
  fromFixture('errors/shape_op_errors', 'tr', () => torch.transpose(a, 0, 2));
  fromFixture('errors/shape_op_errors', 'p', () => a.permute(0, 0));
  fromFixture('errors/shape_op_errors', 'x', () => a.index(5));
  fromFixture('errors/shape_op_errors', 'x2', () => a.index(0, 3));
  fromFixture('errors/shape_op_errors', 'x3', () => a.index(torch.slice(null, null, -1)));

  const logits = torch.zeros(5, 3);
  fromFixture('errors/loss_errors', 'l', () => F.crossEntropy(logits, long([3, 0, 0, 0, 0])));
  fromFixture('errors/loss_errors', 'l2', () => F.crossEntropy(logits, torch.zeros(5)));
  fromFixture('errors/loss_errors', 'l3', () => F.binaryCrossEntropy(torch.full([5], 0.5), torch.ones(6)));

  it('warnings/mse_loss_broadcast: the warning text and the broadcast result', () => {
    const c = autograd.find((x) => x.id === 'warnings/mse_loss_broadcast')!;
    const expected = c.steps.find((s) => s.let === 'l')!.expect!.warnings!.map((w) => w.message);
    const inp = torch.tensor([-0.33, 1.47, -1.96], { requiresGrad: true });
    const tgt = torch.tensor([[-1.92], [-1.71], [0.27]]);
    const { result, warnings } = torch.catchWarnings(() => F.mseLoss(inp, tgt));
    assert.deepEqual(warnings.map((w) => w.message), expected);
    assert.equal(warnings[0].cppOrigin, false);
    assert.deepEqual(result.shape, []);
    assert.equal(result.gradFn?.name, 'MseLossBackward0');
  });
});

describe('shape ops: error messages from the ATen / functional sources', () => {
  const a = torch.ones(5, 3);
  const cases: [string, () => unknown, string, string][] = [
    ['too many indices', () => a.index(0, 1, 2), 'IndexError', 'too many indices for tensor of dimension 2'],
    ['float index', () => a.index(1.5), 'IndexError',
      'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)'],
    ['slice step 0', () => a.index('::0'), 'ValueError', 'slice step cannot be zero'],
    ['two ellipses', () => a.index('...', '...'), 'IndexError', "an index can only have a single ellipsis ('...')"],
    ['int index of a 0-dim tensor', () => torch.tensor(1).index(0), 'IndexError',
      'invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number'],
    ['long index out of range', () => a.index(long([0, 7])), 'IndexError', 'index 7 is out of bounds for dimension 0 with size 5'],
    ['float tensor index', () => a.index(torch.tensor([0.5])), 'IndexError', 'tensors used as indices must be long, int, byte or bool tensors'],
    ['mask shape', () => a.index(torch.tensor([true, false])), 'IndexError',
      'The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [5, 3] at index 0'],
    ['index shapes do not broadcast', () => a.index(long([0, 1, 2]), long([0, 1])), 'IndexError',
      'shape mismatch: indexing tensors could not be broadcast together with shapes [3], [2]'],
    ['setitem value does not broadcast (basic)', () => torch.zeros(5, 3).indexPut_([0], torch.ones(4)), 'RuntimeError',
      'The expanded size of the tensor (3) must match the existing size (4) at non-singleton dimension 0.  Target sizes: [3].  Tensor sizes: [4]'],
    ['setitem value does not broadcast (advanced)', () => torch.zeros(5, 3).indexPut_([long([0, 1])], torch.ones(3, 3)), 'RuntimeError',
      'shape mismatch: value tensor of shape [3, 3] cannot be broadcast to indexing result of shape [2, 3]'],
    ['setitem on a leaf that requires grad', () => torch.zeros(3, { requiresGrad: true }).indexPut_(0, 1), 'RuntimeError',
      'a view of a leaf Variable that requires grad is being used in an in-place operation.'],
    ['select out of range', () => a.select(0, 5), 'IndexError', 'select(): index 5 out of range for tensor of size [5, 3] at dimension 0'],
    ['narrow past the end', () => a.narrow(0, 3, 3), 'RuntimeError', 'start (3) + length (3) exceeds dimension size (5).'],
    ['cat of nothing', () => torch.cat([]), 'RuntimeError', 'torch.cat(): expected a non-empty list of Tensors'],
    ['cat of a 0-dim tensor', () => torch.cat([a, torch.tensor(1.5)]), 'RuntimeError', 'zero-dimensional tensor (at position 1) cannot be concatenated'],
    ['cat of different ranks', () => torch.cat([a, torch.ones(3)]), 'RuntimeError', 'Tensors must have same number of dimensions: got 2 and 1'],
    ['stack of nothing', () => torch.stack([]), 'RuntimeError', 'stack expects a non-empty TensorList'],
    ['split sizes do not add up', () => torch.split(a, [1, 3]), 'RuntimeError',
      "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but got split_sizes=[1, 3]"],
    ['chunk into 0', () => torch.chunk(a, 0), 'RuntimeError', 'chunk expects `chunks` to be greater than 0, got: 0'],
    ['gather index out of range', () => torch.gather(a, 1, long([0, 3]).view(1, 2)), 'RuntimeError',
      'index 3 is out of bounds for dimension 1 with size 3'],
    ['gather rank mismatch', () => torch.gather(a, 1, long([0])), 'RuntimeError',
      'Index tensor must have the same number of dimensions as input tensor'],
    ['gather index too large', () => torch.gather(a, 1, torch.zeros(6, 1, { dtype: 'int64' })), 'RuntimeError',
      'Size does not match at dimension 0 expected index [6, 1] to be no larger than self [5, 3] apart from dimension 1'],
    ['mm dtype mismatch', () => torch.mm(a, torch.ones(3, 2, { dtype: 'float64' })), 'RuntimeError',
      'expected m1 and m2 to have the same dtype, but got: float != double'],
    ['dot dtype mismatch', () => torch.dot(torch.ones(3), torch.ones(3, { dtype: 'float64' })), 'RuntimeError',
      'dot : expected both vectors to have same dtype, but found Float and Double'],
    ['cross_entropy batch mismatch', () => F.crossEntropy(a, long([0, 1])), 'ValueError',
      'Expected input batch_size (5) to match target batch_size (2).'],
    ['cross_entropy bad reduction', () => F.crossEntropy(a, long([0, 1, 2, 0, 1]), { reduction: 'avg' as 'mean' }), 'ValueError',
      'avg is not a valid value for reduction'],
    ['cross_entropy weight size', () => F.crossEntropy(a, long([0, 1, 2, 0, 1]), { weight: torch.ones(2) }), 'RuntimeError',
      'weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]'],
    ['cross_entropy spatial target size', () => F.crossEntropy(torch.ones(2, 3, 4), long([0, 1, 2, 0, 1, 2]).view(2, 3)), 'RuntimeError',
      'Expected target size [2, 4], got [2, 3]'],
    ['cross_entropy label_smoothing > 1', () => F.crossEntropy(a, long([0, 1, 2, 0, 1]), { labelSmoothing: 1.5 }), 'RuntimeError',
      'label_smoothing must be between 0.0 and 1.0. Got: 1.5'],
    ['binary_cross_entropy input outside [0, 1]', () => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1])), 'RuntimeError',
      'all elements of input should be between 0 and 1'],
    ['bce with logits size', () => F.binaryCrossEntropyWithLogits(torch.ones(3), torch.ones(2)), 'ValueError',
      'Target size (torch.Size([2])) must be the same as input size (torch.Size([3]))'],
    ['layer_norm shape', () => F.layerNorm(a, [4]), 'RuntimeError',
      'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[5, 3]'],
    ['layer_norm weight shape', () => F.layerNorm(a, [3], torch.ones(2)), 'RuntimeError',
      'Expected weight to be of same shape as normalized_shape, but got weight of shape [2] and normalized_shape = [3]'],
    ['mT of a vector', () => torch.ones(3).mT, 'RuntimeError', 'tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.'],
  ];
  for (const [name, fn, type, message] of cases) {
    it(name, () => expectError(fn, type, message));
  }
});

describe('in-place ops on views PyTorch will not rebase (PyTorch 1.13 messages)', () => {
  const MULTI = ' This view is the output of a function that returns multiple views. Such functions do not'
    + ' allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.';
  const NO_GRAD = ' no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is'
    + ' ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace'
    + ' either both inside the no_grad block (if you don\'t want the inplace to be tracked) or both outside (if you'
    + ' want the inplace to be tracked).';
  const nonLeaf = () => torch.randn(4, { requiresGrad: true }).clone();

  it('split, chunk and unbind outputs, and views of them', () => {
    expectError(() => nonLeaf().split(2)[0].mul_(2), 'RuntimeError', `Output 0 of SplitBackward0 is a view and is being modified inplace.${MULTI}`);
    expectError(() => nonLeaf().chunk(2)[1].add_(1), 'RuntimeError', `Output 1 of SplitBackward0 is a view and is being modified inplace.${MULTI}`);
    expectError(() => nonLeaf().split([1, 3])[1].zero_(), 'RuntimeError', `Output 1 of SplitWithSizesBackward0 is a view and is being modified inplace.${MULTI}`);
    expectError(() => nonLeaf().unbind(0)[0].add_(1), 'RuntimeError', `Output 0 of UnbindBackward0 is a view and is being modified inplace.${MULTI}`);
    expectError(() => nonLeaf().split(2)[0].index('0:1').add_(1), 'RuntimeError', `Output 0 of SliceBackward0 is a view and is being modified inplace.${MULTI}`);
  });

  it('views made in no-grad mode, modified with grad mode on', () => {
    const leaf = torch.randn(4, { requiresGrad: true });
    const v = torch.noGrad(() => leaf.index('0:2'));
    expectError(() => v.mul_(2), 'RuntimeError', `A view was created in${NO_GRAD}`);
    const base = nonLeaf();
    const w = torch.noGrad(() => base.index('0:2'));
    expectError(() => w.mul_(2), 'RuntimeError', `A view was created in${NO_GRAD}`);
  });

  it('allows what PyTorch allows', () => {
    // Nothing to record: the base does not require grad, or grad mode is off for the in-place op too.
    const plain = torch.randn(4).split(2)[0];
    plain.add_(1);
    const base = nonLeaf();
    torch.noGrad(() => base.split(2)[0].add_(1));
    const w = torch.noGrad(() => base.index('0:2'));
    torch.noGrad(() => w.mul_(2));
    // An ordinary view of a non-leaf is rebased.
    const y = nonLeaf();
    y.index('1:3').mul_(10);
    assert.equal(y.gradFn?.name, 'CopySlices');
  });
});
