import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DType } from '../../../src/lib/dtype';
import {
  formatTensor, getPrintOptions, setPrintOptions, type PrintableTensor, type PrintOptions,
} from '../../../src/lib/print/formatTensor';

/** A case recorded from PyTorch by fixtures/record.py. */
interface RecordedCase {
  dtype: DType;
  shape: number[];
  data: (number | string)[];
  requires_grad: boolean;
  grad_fn: string | null;
  options: { precision: number; threshold: number | string; edgeitems: number; linewidth: number };
  str: string;
}

function tensorOf(dtype: DType, shape: number[], values: readonly number[], extra: Partial<PrintableTensor> = {}): PrintableTensor {
  return { dtype, shape, get: (i) => values[i], requiresGrad: false, gradFnName: null, ...extra };
}

const arange = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('print options', () => {
  afterEach(() => setPrintOptions({ profile: 'default' }));

  describe('str(tensor) under non-default options, recorded from PyTorch (fixtures/printOptions.json)', () => {
    const cases = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'printOptions.json'), 'utf8')) as RecordedCase[];
    it('has cases', () => assert.ok(cases.length > 100));
    cases.forEach((c, k) => {
      const o = c.options;
      it(`#${k} ${c.dtype}[${c.shape}] precision=${o.precision} threshold=${o.threshold} edgeitems=${o.edgeitems} linewidth=${o.linewidth}`, () => {
        const values = c.data.map(Number);
        const t = tensorOf(c.dtype, c.shape, values, { requiresGrad: c.requires_grad, gradFnName: c.grad_fn });
        const options: Partial<PrintOptions> = { ...o, threshold: Number(o.threshold) };
        assert.equal(formatTensor(t, options), c.str, 'per-call options');
        setPrintOptions(options);
        assert.equal(formatTensor(t), c.str, 'global options');
      });
    });
  });

  describe('setPrintOptions / getPrintOptions', () => {
    it('starts from PyTorch defaults', () => {
      assert.deepEqual(getPrintOptions(), { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
    });

    it('applies a profile, then the explicit fields on top', () => {
      setPrintOptions({ profile: 'short', linewidth: 120 });
      assert.deepEqual(getPrintOptions(), { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 120, sciMode: null });
      setPrintOptions({ profile: 'full' });
      assert.equal(getPrintOptions().threshold, Infinity);
    });

    it('resets sciMode when it is not given, as torch.set_printoptions does', () => {
      setPrintOptions({ sciMode: true });
      assert.equal(getPrintOptions().sciMode, true);
      setPrintOptions({ precision: 3 });
      assert.equal(getPrintOptions().sciMode, null);
      assert.equal(getPrintOptions().precision, 3);
    });

    it('returns a copy', () => {
      getPrintOptions().precision = 9;
      assert.equal(getPrintOptions().precision, 4);
    });

    it('rejects negative or fractional counts', () => {
      assert.throws(() => setPrintOptions({ precision: -1 }), RangeError);
      assert.throws(() => setPrintOptions({ edgeitems: 1.5 }), RangeError);
    });

    it('docstring examples of torch.set_printoptions (recorded from PyTorch)', () => {
      setPrintOptions({ precision: 2 });
      assert.equal(formatTensor(tensorOf('float32', [1], [Math.fround(1.12345)])), 'tensor([1.12])');
      setPrintOptions({ threshold: 5 });
      assert.equal(formatTensor(tensorOf('int64', [10], arange(10))), 'tensor([0, 1, 2,  ..., 7, 8, 9])');
      setPrintOptions({ profile: 'default' });
      assert.equal(formatTensor(tensorOf('float32', [1], [Math.fround(1.12345)])), 'tensor([1.1235])');
      assert.equal(formatTensor(tensorOf('int64', [10], arange(10))), 'tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])');
    });

    it('profile full never summarises', () => {
      setPrintOptions({ profile: 'full' });
      const text = formatTensor(tensorOf('int64', [5000], arange(5000)));
      assert.ok(!text.includes('...'));
      assert.ok(text.includes(' 2500,'));
    });
  });

  describe('sciMode forces the notation (PyTorch 2.x sizes the columns for the forced mode)', () => {
    const values = [0.5, 1.25, -3];
    const elements = (s: string): string[] => s.slice('tensor(['.length, -'])'.length).split(', ');

    it('true: every element in scientific notation, one column width', () => {
      const items = elements(formatTensor(tensorOf('float32', [3], values), { sciMode: true }));
      assert.equal(items.length, 3);
      for (const item of items) assert.match(item, /^ *-?\d\.\d{4}e[+-]\d\d$/);
      assert.equal(new Set(items.map((s) => s.length)).size, 1);
      assert.equal(items[0], ' 5.0000e-01');
    });

    it('false: fixed notation even for values that would switch to scientific', () => {
      const text = formatTensor(tensorOf('float32', [2], [1e-5, 1000]), { sciMode: false });
      for (const item of elements(text)) assert.match(item, /^ *-?\d+\.\d{4}$/);
    });

    it('has no effect on tensors without non-zero finite values', () => {
      assert.equal(formatTensor(tensorOf('float32', [2], [0, NaN]), { sciMode: true }), 'tensor([0., nan])');
    });
  });

  describe('edgeitems=0 (PyTorch 2.x: only "..." and the size)', () => {
    it('summarised rows collapse to [...]', () => {
      assert.equal(formatTensor(tensorOf('int64', [2000], arange(2000)), { edgeitems: 0 }), 'tensor([...], size=(2000,))');
      assert.equal(formatTensor(tensorOf('int64', [40, 30], arange(1200)), { edgeitems: 0 }), 'tensor([...], size=(40, 30))');
    });
    it('small tensors print in full, still with their size', () => {
      assert.equal(formatTensor(tensorOf('float32', [2], [1, 2]), { edgeitems: 0 }), 'tensor([1., 2.], size=(2,))');
    });
  });
});
