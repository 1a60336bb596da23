/**
 * F.dropout / nn.Dropout: the graph and gradient PyTorch records (fixtures/nn.json, PyTorch 1.13:
 * CPU dropout is `input * noise`, one MulBackward0), the eval-mode identity of ops.json
 * `dropout/eval_mode`, and the edge cases p = 0 / p = 1 / in place.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../../src/lib/index';
import { nn } from '../../../src/lib/index';
import { assertBitsEqual, oracleCase, tensorFrom, type FixtureTensor } from './fixtureTensors';

const F = nn.functional;

interface DropoutFixture {
  x: FixtureTensor; y: FixtureTensor; upstream: FixtureTensor; grad: FixtureTensor;
  grad_fn: string; next_functions: (string | null)[];
  module_input: FixtureTensor; module_train_out: FixtureTensor; module_eval_returns_input: boolean;
}
const fixture = (JSON.parse(readFileSync(join(__dirname, 'fixtures', 'nn.json'), 'utf8')) as { dropout: DropoutFixture }).dropout;

describe('F.dropout', () => {
  it('records MulBackward0(input, noise) with PyTorch values and gradient', () => {
    torch.manualSeed(11);
    const x = torch.randn(4, 6).requiresGrad_();
    assertBitsEqual(x, fixture.x, 'x');
    const y = F.dropout(x, 0.3);
    assertBitsEqual(y, fixture.y, 'dropout output');
    assert.equal(y.gradFn!.name, fixture.grad_fn);
    assert.deepEqual(y.gradFn!.nextFunctions.map(([n]) => n?.name ?? null), fixture.next_functions);
    y.backward(tensorFrom(fixture.upstream));
    assertBitsEqual(x.grad!, fixture.grad, 'gradient');
  });

  it('returns the input object itself when not training (ops.json dropout/eval_mode)', () => {
    const c = oracleCase<{ id: string; inputs: FixtureTensor[]; kwargs: { p: number; training: boolean } }>('ops.json', 'dropout/eval_mode');
    const a = tensorFrom(c.inputs[0], true);
    const out = F.dropout(a, { p: c.kwargs.p, training: c.kwargs.training });
    assert.equal(out, a);
    assert.equal(out.gradFn, null);
  });

  it('p = 0 returns the input; p = 1 zeroes everything through MulBackward0', () => {
    const x = torch.ones([2, 3], { requiresGrad: true });
    assert.equal(F.dropout(x, 0), x);
    const y = F.dropout(x, 1);
    assert.deepEqual(y.tolist(), [[0, 0, 0], [0, 0, 0]]);
    assert.equal(y.gradFn!.name, 'MulBackward0');
  });

  it('inplace=True multiplies the input in place', () => {
    torch.manualSeed(5);
    const x = torch.ones(100);
    const out = F.dropout(x, { p: 0.5, inplace: true });
    assert.equal(out, x);
    const values = new Set(Array.from(x._toArray()));
    assert.deepEqual([...values].sort(), [0, 2]);
  });

  it('float64 inputs are scaled by 1/(1-p) in double', () => {
    torch.manualSeed(9);
    const y = F.dropout(torch.ones([200], { dtype: torch.float64 }), 0.3);
    const kept = Array.from(y._toArray()).filter((v) => v !== 0);
    assert.ok(kept.length > 100);
    assert.ok(kept.every((v) => v === 1 / (1 - 0.3)));
  });
});

describe('nn.Dropout', () => {
  it('drops in training mode (PyTorch values) and is the identity after eval()', () => {
    torch.manualSeed(12);
    const m = nn.Dropout(0.6);
    const z = torch.randn(50);
    assertBitsEqual(z, fixture.module_input, 'input');
    assertBitsEqual(m(z), fixture.module_train_out, 'train-mode output');
    m.eval();
    assert.equal(m(z) === z, fixture.module_eval_returns_input);
  });
});
