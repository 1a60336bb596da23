/**
 * The backward engine's own behaviour (beyond the oracle fixtures): state kept on the nodes must
 * survive nested passes and failures, deep graphs must not touch the JS stack, and the strided
 * copies behind gradient accumulation must match element-by-element reads.
 */
import assert from 'node:assert/strict';
import * as torch from 'gradscope';

describe('autograd engine', () => {
  it('a backward pass started inside a hook leaves the outer pass intact', () => {
    // y = x³ ; the hook on h = x² runs autograd.grad over part of the same graph.
    const x = torch.tensor([2, 3], { dtype: torch.float32, requiresGrad: true });
    const h = x.mul(x);
    const y = h.mul(x).sum();
    let inner: (torch.Tensor | null)[] = [];
    let nested = false;
    h.registerHook((g) => {
      if (nested) return g; // the inner pass runs this hook too
      nested = true;
      // Grad mode is off while backward runs (as in PyTorch): turn it on to record h.sum().
      inner = torch.enableGrad(() => torch.autograd.grad(h.sum(), [x], { retainGraph: true }));
      return g;
    });
    y.backward();
    assert.deepEqual(x.grad!.tolist(), [12, 27]); // 3x²
    assert.deepEqual(inner[0]!.tolist(), [4, 6]); // 2x
  });

  it('after a backward that throws, the next one starts clean', () => {
    const x = torch.tensor([1, 2], { dtype: torch.float32, requiresGrad: true });
    const h = x.mul(3);
    const handle = h.registerHook(() => { throw new Error('hook failed'); });
    const y = h.sum();
    assert.throws(() => y.backward({ retainGraph: true }), /hook failed/);
    handle.remove();
    y.backward();
    assert.deepEqual(x.grad!.tolist(), [3, 3]);
  });

  it('a gradient reaching a node through several edges is summed once per edge', () => {
    const x = torch.tensor([1.5], { dtype: torch.float32, requiresGrad: true });
    const a = x.mul(2);
    const y = a.add(a).add(a).sum(); // dy/dx = 6
    y.backward();
    assert.deepEqual(x.grad!.tolist(), [6]);
  });

  it('backpropagates through a 200,000-op chain (iterative, no recursion)', () => {
    const x = torch.tensor([0.5], { dtype: torch.float32, requiresGrad: true });
    const c = torch.tensor([1e-3], { dtype: torch.float32 });
    let y = x;
    for (let i = 0; i < 200_000; i++) y = y.add(c);
    y.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [1]);
  });

  it('accumulates a transposed (non-contiguous) gradient into a contiguous .grad', () => {
    const w = torch.randn([37, 45], { requiresGrad: true });
    const v = torch.randn([45, 37]);
    w.t().mul(v).sum().backward(); // dw = vᵀ, which arrives as a transposed view
    assert.ok(w.grad!.isContiguous());
    assert.deepEqual(w.grad!.tolist(), v.t().contiguous().tolist());
  });

  it('copies permuted and sliced views element by element in row-major order', () => {
    const base = torch.arange(0, 2 * 3 * 4, { dtype: torch.float32 }).reshape(2, 3, 4);
    const matrix = base.reshape(6, 4);
    for (const view of [base.permute(2, 0, 1), base.transpose(0, 2), base.index(':', '1:', '::2'), matrix.t(), matrix.t().index('1:3')]) {
      const expected = Array.from({ length: view.numel() }, (_, i) => view._get(i));
      assert.deepEqual(Array.from(view._toArray()), expected);
    }
  });

  it('names the current grad_fn of a saved input modified in place, as PyTorch does', () => {
    // PyTorch keeps saved inputs as the original tensor and asks it for its grad_fn when unpacking
    // (recorded with PyTorch 1.13: "... which is output 0 of AddBackward0, is at version 1 ...").
    const x = torch.ones([3], { requiresGrad: true });
    const y = x.mul(2);
    const z = y.mul(y);
    y.add_(1);
    assert.throws(() => z.sum().backward(),
      /\[torch\.FloatTensor \[3\]\], which is output 0 of AddBackward0, is at version 1; expected version 0 instead/);
  });

  it('keeps rarely used per-tensor state (names, retained grads, hooks) per tensor', () => {
    const x = torch.ones([2], { requiresGrad: true });
    const y = x.mul(2);
    const z = x.mul(3);
    assert.equal(y.name, undefined);
    y.name = 'y';
    assert.equal(y.name, 'y');
    assert.equal(z.name, undefined);
    y.retainGrad();
    assert.equal(y.retainsGrad, true);
    assert.equal(z.retainsGrad, false);
    y.add(z).sum().backward();
    assert.deepEqual(y.grad!.tolist(), [1, 1]);
    assert.deepEqual(x.grad!.tolist(), [5, 5]);
  });
});
