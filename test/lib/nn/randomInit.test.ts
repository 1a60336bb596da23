/**
 * Replays the oracle's rng.json `init/*` and `dropout/*` groups through the PUBLIC API
 * (`nn.init.kaimingUniform_`, `nn.Linear`, `F.dropout`) and compares every element's float32
 * bit pattern with PyTorch's.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../src/lib/index';
import { assertBitsEqual, loadOracle, type FixtureTensor } from './fixtureTensors';

const { nn } = torch;

interface RngCase {
  id: string;
  seed: number;
  calls: { fn: string; args: Record<string, unknown>; out: FixtureTensor[] }[];
}

const cases = loadOracle<RngCase>('rng.json').filter((c) => c.id.startsWith('init/') || c.id.startsWith('dropout/'));

function replay(call: RngCase['calls'][number]): torch.Tensor[] {
  const a = call.args;
  switch (call.fn) {
    case 'kaiming_uniform_': {
      const w = torch.empty(a.shape as number[]);
      return [nn.init.kaimingUniform_(w, a.a as number)];
    }
    case 'nn.Linear': {
      const m = nn.Linear(a.in_features as number, a.out_features as number, { bias: (a.bias as boolean | undefined) ?? true });
      return m.bias === null ? [m.weight] : [m.weight, m.bias];
    }
    case 'dropout':
      return [nn.functional.dropout(torch.ones(a.shape as number[]), { p: a.p as number, training: true })];
    default:
      throw new Error(`unexpected call ${call.fn}`);
  }
}

describe('nn.init / nn.Linear / F.dropout random numbers against rng.json', () => {
  it('covers the init and dropout groups', () => assert.ok(cases.length >= 10));
  for (const c of cases) {
    it(c.id, () => {
      torch.manualSeed(c.seed);
      c.calls.forEach((call, k) => {
        const outs = replay(call);
        assert.equal(outs.length, call.out.length, `calls[${k}] ${call.fn}: number of outputs`);
        outs.forEach((t, j) => assertBitsEqual(t, call.out[j], `calls[${k}] ${call.fn}(${JSON.stringify(call.args)}) output ${j}`));
      });
    });
  }

  it('nn.Linear parameters are leaves that require grad, initialised without recording history', () => {
    torch.manualSeed(0);
    const m = nn.Linear(3, 2);
    for (const p of m.parameters()) {
      assert.equal(p.isLeaf, true);
      assert.equal(p.requiresGrad, true);
      assert.ok(p instanceof nn.Parameter);
    }
  });
});
