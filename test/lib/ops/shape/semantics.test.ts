/**
 * Behaviour the oracle fixtures do not pin: views share storage (writes show through), in-place
 * `indexPut_` (Python's `x[k] = v`) in all its forms, products against a naive reference on
 * awkward strides, and the matmul paths that depend on strides and requires_grad.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../../src/lib/index';
import type { Tensor } from '../../../../src/lib/index';

const long = (data: number[]) => torch.tensor(data, { dtype: 'int64' });

function values(t: Tensor): number[] {
  return Array.from({ length: t.numel() }, (_, i) => t._get(i));
}

function arange(...shape: number[]): Tensor {
  const n = shape.reduce((p, s) => p * s, 1);
  return torch.arange(n, { dtype: 'float32' }).reshape(shape);
}

/** C[i, j] = Σ_k A[i, k]·B[k, j] by reading elements one by one (no strides tricks). */
function naiveMatmul(a: Tensor, b: Tensor): number[] {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const at = a.tolist() as number[][];
  const bt = b.tolist() as number[][];
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += at[i][p] * bt[p][j];
      out.push(s);
    }
  }
  return out;
}

function assertClose(got: number[], exp: number[], tol = 1e-4): void {
  assert.equal(got.length, exp.length);
  got.forEach((g, i) => assert.ok(Math.abs(g - exp[i]) <= tol * (1 + Math.abs(exp[i])), `[${i}] ${g} vs ${exp[i]}`));
}

describe('shape ops: views share storage', () => {
  it('writes through view / transpose / select / slice / split pieces reach the base', () => {
    const x = arange(4, 3);
    x.view(12).indexPut_(0, 100);
    x.t().indexPut_([2, 3], 200);
    x.select(0, 1).fill_(-1);
    x.index('2:', 0).fill_(7);
    torch.split(x, 1, 1)[1].indexPut_(3, 9);
    assert.deepEqual(x.tolist(), [[100, 1, 2], [-1, -1, -1], [7, 7, 8], [7, 9, 200]]);
  });

  it('a copying reshape does not alias; a viewable one does', () => {
    const x = arange(2, 3);
    const copied = x.t().reshape(6);
    copied.fill_(0);
    assert.equal(x.sum().item(), 15);
    const viewed = x.reshape(3, 2);
    viewed.fill_(1);
    assert.equal(x.sum().item(), 6);
  });

  it('index with tensors returns a copy', () => {
    const x = arange(3, 2);
    const y = x.index(long([0, 2]));
    y.fill_(0);
    assert.deepEqual(values(x), [0, 1, 2, 3, 4, 5]);
  });

  it('x[...] and x[:, :] are aliases (AliasBackward0), x[:] is a slice', () => {
    const x = arange(2, 3).requiresGrad_(true);
    assert.equal(x.index('...').gradFn?.name, 'AliasBackward0');
    assert.equal(x.index(':', ':').gradFn?.name, 'AliasBackward0');
    assert.equal(x.index(':').gradFn?.name, 'SliceBackward0');
    assert.equal(x.index('0:100', 1).gradFn?.nextFunctions[0][0]?.name, 'AccumulateGrad');
  });
});

describe('shape ops: indexPut_ (x[k] = v)', () => {
  it('integers, slices, ellipsis, None and booleans', () => {
    const x = torch.zeros(3, 4);
    x.indexPut_(0, 1);
    x.indexPut_([1, '1:3'], torch.tensor([5, 6], { dtype: 'float32' }));
    x.indexPut_(['...', -1], 2);
    x.indexPut_([null, 2, 0], 3);
    x.indexPut_(false, 99);
    assert.deepEqual(x.tolist(), [[1, 1, 1, 2], [0, 5, 6, 2], [3, 0, 0, 2]]);
  });

  it('long tensors, int arrays, masks; accumulate adds repeated indices', () => {
    const x = torch.zeros(5);
    x.indexPut_([long([0, 2])], torch.tensor([1, 2], { dtype: 'float32' }));
    x.indexPut_([[4]], 7);
    x.indexPut_(x.gt(1.5), -1);
    x.indexPut_([long([1, 1, 3])], torch.ones(3), { accumulate: true });
    assert.deepEqual(x.tolist(), [1, 2, -1, 1, -1]);
  });

  it('a value with leading size-1 dims broadcasts (numpy special case)', () => {
    const x = torch.zeros(2, 3);
    x.indexPut_(0, torch.tensor([[1, 2, 3]], { dtype: 'float32' }));
    x.indexPut_([long([1])], torch.tensor([[[4, 5, 6]]], { dtype: 'float32' }));
    assert.deepEqual(x.tolist(), [[1, 2, 3], [4, 5, 6]]);
  });

  it('gradients: the overwritten region gets none, the value gets the region’s', () => {
    const x = torch.tensor([1, 2, 3, 4], { requiresGrad: true, dtype: 'float32' });
    const v = torch.tensor([10, 20], { requiresGrad: true, dtype: 'float32' });
    const y = x.mul(2);
    y.indexPut_('1:3', v);
    assert.equal(y.gradFn?.name, 'CopySlices');
    y.mul(torch.tensor([1, 2, 3, 4], { dtype: 'float32' })).sum().backward();
    assert.deepEqual(values(x.grad!), [2, 0, 0, 8]);
    assert.deepEqual(values(v.grad!), [2, 3]);
  });

  it('advanced setitem records IndexPutBackward0 on the tensor itself', () => {
    const x = torch.ones(3, { requiresGrad: true });
    const y = x.mul(1);
    y.indexPut_([long([0, 2])], 5);
    assert.equal(y.gradFn?.name, 'IndexPutBackward0');
    y.sum().backward();
    assert.deepEqual(values(x.grad!), [0, 1, 0]);
  });
});

describe('shape ops: products on awkward layouts', () => {
  const rnd = (...shape: number[]) => torch.randn(shape);
  before(() => torch.manualSeed(7));

  it('mm on transposed, sliced and broadcast (stride 0) operands matches the naive product', () => {
    const a = rnd(7, 5);
    const layouts: [Tensor, Tensor][] = [
      [a, rnd(5, 3)],
      [rnd(5, 7).t(), rnd(3, 5).t()],
      [a.index(':', '::2'), rnd(3, 4)],
      [rnd(1, 5).expand(6, 5), rnd(5, 1).expand(5, 4)],
      [rnd(40, 33), rnd(33, 50)],
      [rnd(33, 40).t(), rnd(50, 33).t()],
    ];
    for (const [x, y] of layouts) assertClose(values(torch.mm(x, y)), naiveMatmul(x, y));
  });

  it('bmm with a transposed batch and a broadcast batch', () => {
    const a = rnd(3, 4, 2).transpose(1, 2);
    const b = rnd(1, 4, 5).expand(3, 4, 5);
    const out = torch.bmm(a, b);
    for (let i = 0; i < 3; i++) assertClose(values(out.select(0, i)), naiveMatmul(a.select(0, i), b.select(0, i)));
  });

  it('int64 products are exact', () => {
    const a = torch.tensor([[3, -2], [1, 5]], { dtype: 'int64' });
    const b = torch.tensor([[4, 1], [2, -7]], { dtype: 'int64' });
    const c = torch.matmul(a, b);
    assert.equal(c.dtype, 'int64');
    assert.deepEqual(c.tolist(), naiveMatmul(a, b).reduce<number[][]>((rows, v, i) => {
      if (i % 2 === 0) rows.push([]);
      rows[rows.length - 1].push(v);
      return rows;
    }, []));
  });

  it('matmul folds contiguous batches into mm and keeps bmm for non-foldable ones', () => {
    const x = rnd(2, 3, 4);
    const w = rnd(4, 5).requiresGrad_(true);
    assert.equal(torch.matmul(x, w).gradFn?.nextFunctions[0][0]?.name, 'MmBackward0');
    const xt = rnd(3, 2, 4).transpose(0, 1).requiresGrad_(false);
    const y = torch.matmul(xt, w.detach().requiresGrad_(false));
    assert.equal(y.gradFn, null);
    assertClose(values(y.select(0, 1)), naiveMatmul(xt.select(0, 1), w.detach()));
    const xr = rnd(3, 2, 4).requiresGrad_(true);
    const z = torch.matmul(xr.transpose(0, 1), w.detach());
    assert.equal(z.gradFn?.nextFunctions[0][0]?.name, 'BmmBackward0');
  });
});

describe('shape ops: split / chunk / unbind', () => {
  it('pieces of split(int), split(sizes), chunk and unbind', () => {
    const x = arange(5, 2);
    assert.deepEqual(torch.split(x, 2).map((t) => t.shape), [[2, 2], [2, 2], [1, 2]]);
    assert.deepEqual(torch.split(x, [1, 4]).map((t) => t.shape), [[1, 2], [4, 2]]);
    assert.deepEqual(torch.chunk(x, 3).map((t) => t.shape), [[2, 2], [2, 2], [1, 2]]);
    assert.deepEqual(torch.chunk(torch.zeros(0), 3).map((t) => t.shape), [[0], [0], [0]]);
    assert.deepEqual(torch.unbind(x, 1).map(values), [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]);
  });

  it('a piece without gradient contributes zeros', () => {
    const x = arange(4).requiresGrad_(true);
    const [, b] = torch.split(x, 2);
    b.sum().backward();
    assert.deepEqual(values(x.grad!), [0, 0, 1, 1]);
  });
});

describe('shape ops: rearranging copies', () => {
  it('repeat, flip, roll, tril / triu, diag', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    assert.deepEqual(x.repeat(1, 2).tolist(), [[1, 2, 1, 2], [3, 4, 3, 4]]);
    assert.deepEqual(torch.tensor([1, 2], { dtype: 'float32' }).repeat(2, 1).tolist(), [[1, 2], [1, 2]]);
    assert.deepEqual(x.flip(0).tolist(), [[3, 4], [1, 2]]);
    assert.deepEqual(x.flip([0, 1]).tolist(), [[4, 3], [2, 1]]);
    assert.deepEqual(torch.roll(x, 1).tolist(), [[4, 1], [2, 3]]);
    assert.deepEqual(torch.roll(x, -1, 1).tolist(), [[2, 1], [4, 3]]);
    assert.deepEqual(x.tril().tolist(), [[1, 0], [3, 4]]);
    assert.deepEqual(x.triu(1).tolist(), [[0, 2], [0, 0]]);
    assert.deepEqual(torch.diag(x).tolist(), [1, 4]);
    assert.deepEqual(torch.diag(torch.tensor([5, 6], { dtype: 'float32' }), 1).tolist(), [[0, 5, 0], [0, 0, 6], [0, 0, 0]]);
    assert.equal(torch.trace(x).item(), 5);
    assert.deepEqual(x.diagonal().tolist(), [1, 4]);
  });

  it('diagonal is a view', () => {
    const x = torch.zeros(3, 3);
    x.diagonal().fill_(1);
    assert.deepEqual(x.tolist(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });
});

describe('shape ops: einsum', () => {
  before(() => torch.manualSeed(3));
  it('agrees with the equivalent products and reductions', () => {
    const a = torch.randn([3, 4]);
    const b = torch.randn([4, 5]);
    const x = torch.randn([2, 3, 4]);
    const y = torch.randn([2, 4, 5]);
    const v = torch.randn([4]);
    assertClose(values(torch.einsum('ij,jk->ik', a, b)), values(torch.mm(a, b)));
    assertClose(values(torch.einsum('ij,jk', [a, b])), values(torch.mm(a, b)));
    assertClose(values(torch.einsum('bij,bjk->bik', x, y)), values(torch.bmm(x, y)));
    assertClose(values(torch.einsum('ij->ji', a)), values(a.t()));
    assertClose(values(torch.einsum('ij->', a)), [a.sum().item()]);
    assertClose(values(torch.einsum('ij,j->i', a, v)), values(torch.mv(a, v)));
    assertClose(values(torch.einsum('i,j->ij', v, v)), values(torch.outer(v, v)));
    const sq = torch.randn([4, 4]);
    assertClose(values(torch.einsum('ii->i', sq)), values(sq.diagonal()));
    assertClose(values(torch.einsum('ii', sq)), [torch.trace(sq).item()]);
  });

  it('rejects mismatched equations', () => {
    assert.throws(() => torch.einsum('ij,jk->ik', torch.ones(2, 3)), /fewer operands/);
    assert.throws(() => torch.einsum('ij->ij', torch.ones(2, 3, 4)), /does not match the number of dimensions \(3\)/);
    assert.throws(() => torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(4, 2)), /subscript j has sizes 3 and 4/);
  });
});
