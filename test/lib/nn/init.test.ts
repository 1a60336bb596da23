/**
 * torch.nn.init against values recorded with PyTorch (fixtures/nn.json): the same calls in the
 * same order after manual_seed(7), compared bit for bit, on leaves that require grad (the
 * initialisers run under no_grad). Also calculate_gain.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../../src/lib/index';
import { nn } from '../../../src/lib/index';
import { assertBitsEqual, type FixtureTensor } from './fixtureTensors';

interface InitFixture {
  seed: number;
  calls: { fn: string; shape: number[]; kwargs: Record<string, number | string>; out: FixtureTensor; requires_grad: boolean; is_leaf: boolean }[];
  gains: Record<string, number>;
}
const fixture = (JSON.parse(readFileSync(join(__dirname, 'fixtures', 'nn.json'), 'utf8')) as { init: InitFixture }).init;

type Kwargs = Record<string, number | string>;
const num = (k: Kwargs, name: string): number | undefined => k[name] as number | undefined;

/** The Python call, spelled with the TypeScript API. */
const CALLS: Record<string, (w: torch.Tensor, k: Kwargs) => torch.Tensor> = {
  xavier_uniform_: (w, k) => nn.init.xavierUniform_(w, num(k, 'gain')),
  xavier_normal_: (w, k) => nn.init.xavierNormal_(w, { gain: num(k, 'gain') }),
  kaiming_uniform_: (w, k) => nn.init.kaimingUniform_(w, {
    a: num(k, 'a'), mode: k.mode as nn.init.FanMode | undefined, nonlinearity: k.nonlinearity as nn.init.Nonlinearity | undefined,
  }),
  kaiming_normal_: (w, k) => nn.init.kaimingNormal_(w, num(k, 'a'), k.mode as nn.init.FanMode | undefined),
  uniform_: (w, k) => nn.init.uniform_(w, num(k, 'a'), num(k, 'b')),
  normal_: (w, k) => nn.init.normal_(w, num(k, 'mean'), num(k, 'std')),
  constant_: (w, k) => nn.init.constant_(w, num(k, 'val')!),
  ones_: (w) => nn.init.ones_(w),
  zeros_: (w) => nn.init.zeros_(w),
};

describe('torch.nn.init against PyTorch', () => {
  it('every recorded call, in order, bit for bit', () => {
    torch.manualSeed(fixture.seed);
    fixture.calls.forEach((c, i) => {
      const w = torch.empty(c.shape).requiresGrad_();
      const out = CALLS[c.fn](w, c.kwargs);
      assert.equal(out, w, `${c.fn} returns its argument`);
      assertBitsEqual(w, c.out, `calls[${i}] ${c.fn}(${JSON.stringify(c.kwargs)})`);
      assert.equal(w.requiresGrad, c.requires_grad);
      assert.equal(w.isLeaf, c.is_leaf);
    });
  });

  it('calculateGain', () => {
    for (const [key, expected] of Object.entries(fixture.gains)) {
      const [nl, param] = key.split(':');
      const gain = nn.init.calculateGain(nl as nn.init.Nonlinearity, param === 'None' ? undefined : Number(param));
      assert.equal(gain, expected, key);
    }
  });

  it('kaiming on a zero-element tensor warns and draws nothing', () => {
    torch.manualSeed(0);
    const { warnings } = torch.catchWarnings(() => nn.init.kaimingUniform_(torch.empty(0, 3)));
    assert.deepEqual(warnings.map((w) => w.message), ['Initializing zero-element tensors is a no-op']);
    const after = torch.rand(1).item();
    torch.manualSeed(0);
    assert.equal(torch.rand(1).item(), after);
  });
});
