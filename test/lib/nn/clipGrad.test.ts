/**
 * nn.utils.clipGradNorm_ / clipGradValue_ against PyTorch (fixtures/nn.json). The norms are sums,
 * accumulated in another order than PyTorch's kernels, hence a relative tolerance of 1e-6.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../../src/lib/index';
import { nn } from '../../../src/lib/index';
import { assertBitsEqual, assertClose, tensorFrom, type FixtureTensor } from './fixtureTensors';

interface ClipFixture {
  norm: { norm_type: number | 'inf'; max_norm: number; grads: FixtureTensor[]; total_norm: FixtureTensor; grads_after: FixtureTensor[] }[];
  value: { clip_value: number; grads: FixtureTensor[]; grads_after: FixtureTensor[] };
}
const fixture = (JSON.parse(readFileSync(join(__dirname, 'fixtures', 'nn.json'), 'utf8')) as { clip: ClipFixture }).clip;
const TOL = { rtol: 1e-6, atol: 1e-7 };

function paramsWithGrads(grads: FixtureTensor[]): torch.Tensor[] {
  return grads.map((g) => {
    const p = torch.zeros(g.shape).requiresGrad_();
    p.grad = tensorFrom(g);
    return p;
  });
}

describe('nn.utils.clipGradNorm_', () => {
  for (const c of fixture.norm) {
    it(`norm_type ${c.norm_type}, max_norm ${c.max_norm}`, () => {
      const params = paramsWithGrads(c.grads);
      const normType = c.norm_type === 'inf' ? Infinity : c.norm_type;
      const total = nn.utils.clipGradNorm_(params, c.max_norm, normType);
      assert.deepEqual(total.shape, []);
      assertClose(total, c.total_norm, TOL, 'total norm');
      params.forEach((p, i) => assertClose(p.grad!, c.grads_after[i], TOL, `grad ${i}`));
    });
  }

  it('raises on a non-finite norm when asked to', () => {
    const p = torch.zeros(2).requiresGrad_();
    p.grad = torch.tensor([Infinity, 1], { dtype: torch.float32 });
    assert.throws(() => nn.utils.clipGradNorm_([p], 1, { errorIfNonfinite: true }), {
      message: 'The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. ' +
        'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
    });
  });

  it('bumps the gradient version (an in-place op on .grad)', () => {
    const p = torch.zeros(2).requiresGrad_();
    p.grad = torch.tensor([3, 4], { dtype: torch.float32 });
    const before = p.grad._version;
    nn.utils.clipGradNorm_(p, 1);
    assert.equal(p.grad._version, before + 1);
  });
});

describe('nn.utils.clipGradValue_', () => {
  it('clamps every element, bit for bit', () => {
    const params = paramsWithGrads(fixture.value.grads);
    nn.utils.clipGradValue_(params, fixture.value.clip_value);
    params.forEach((p, i) => assertBitsEqual(p.grad!, fixture.value.grads_after[i], `grad ${i}`));
  });
});
