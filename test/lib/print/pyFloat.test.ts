import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exactForTesting, formatFixed, formatSci, pyRepr } from '../../../src/lib/print/pyFloat';

/** A value recorded from Python by fixtures/record.py. */
interface PyFloatCase {
  x: number | string;
  repr: string;
  fixed: Record<string, string>;
  sci: Record<string, string>;
}

const decode = (x: number | string): number => (typeof x === 'number' ? x : Number(x));

describe('pyFloat: Python float formatting', () => {
  describe('formatFixed == "{:.Nf}".format(x)', () => {
    it('rounds exact binary ties half-to-even (JS toFixed rounds them up)', () => {
      assert.equal(formatFixed(0.03125, 4), '0.0312');
      assert.equal(formatFixed(0.15625, 4), '0.1562');
      assert.equal(formatFixed(1.40625, 4), '1.4062');
      assert.equal(formatFixed(0.5, 0), '0');
      assert.equal(formatFixed(1.5, 0), '2');
      assert.equal(formatFixed(2.5, 0), '2');
      assert.equal(formatFixed(-0.03125, 4), '-0.0312');
    });
    it('rounds the exact binary value, not its shortest decimal', () => {
      // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875
      assert.equal(formatFixed(2.675, 2), '2.67');
      assert.equal(formatFixed(Math.fround(-1234.5678), 4), '-1234.5677');
    });
    it('keeps the sign of zero and of values that round to zero', () => {
      assert.equal(formatFixed(-0, 4), '-0.0000');
      assert.equal(formatFixed(-0, 0), '-0');
      assert.equal(formatFixed(-1e-9, 4), '-0.0000');
      assert.equal(formatFixed(0, 2), '0.00');
    });
    it('prints huge values in full, like Python', () => {
      assert.equal(formatFixed(1e21, 0), '1000000000000000000000');
      assert.equal(formatFixed(2 ** 70, 1), '1180591620717411303424.0');
    });
    it('spells non-finite values as Python does', () => {
      assert.equal(formatFixed(NaN, 4), 'nan');
      assert.equal(formatFixed(Infinity, 4), 'inf');
      assert.equal(formatFixed(-Infinity, 4), '-inf');
    });
  });

  describe('formatSci == "{:.Ne}".format(x)', () => {
    it('writes at least two exponent digits with a sign', () => {
      assert.equal(formatSci(1e-5, 4), '1.0000e-05');
      assert.equal(formatSci(1.5, 4), '1.5000e+00');
      assert.equal(formatSci(1e300, 4), '1.0000e+300');
      assert.equal(formatSci(5e-324, 4), '4.9407e-324');
      assert.equal(formatSci(0, 4), '0.0000e+00');
      assert.equal(formatSci(-0, 4), '-0.0000e+00');
      assert.equal(formatSci(123, 0), '1e+02');
    });
    it('rounds exact ties half-to-even', () => {
      assert.equal(formatSci(125, 1), '1.2e+02');
      assert.equal(formatSci(135, 1), '1.4e+02');
      assert.equal(formatSci(0.03125, 2), '3.12e-02');
      assert.equal(formatSci(1.40625, 4), '1.4062e+00');
    });
    it('carries into the exponent', () => {
      assert.equal(formatSci(9.99995, 4), '1.0000e+01');
      assert.equal(formatSci(99999.5, 4), '1.0000e+05');
    });
    it('spells non-finite values as Python does', () => {
      assert.equal(formatSci(NaN, 4), 'nan');
      assert.equal(formatSci(-Infinity, 4), '-inf');
    });
  });

  describe('pyRepr == repr(float)', () => {
    const expected: [number, string][] = [
      [1e-5, '1e-05'], [1e16, '1e+16'], [123456789.0, '123456789.0'], [-0, '-0.0'], [0, '0.0'],
      [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'], [0.1, '0.1'], [1e-4, '0.0001'],
      [1.5e-7, '1.5e-07'], [1e15, '1000000000000000.0'], [9999999999999998, '9999999999999998.0'],
      [3.0, '3.0'], [Math.fround(0.1), '0.10000000149011612'], [1e300, '1e+300'], [-2.5e22, '-2.5e+22'],
    ];
    for (const [x, repr] of expected) it(`${repr}`, () => assert.equal(pyRepr(x), repr));
  });

  describe('values recorded from Python (fixtures/pyFloat.json)', () => {
    const cases = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'pyFloat.json'), 'utf8')) as PyFloatCase[];
    it('has cases', () => assert.ok(cases.length > 100));
    it('formatFixed, formatSci and pyRepr match Python on every value', () => {
      const failures: string[] = [];
      for (const c of cases) {
        const x = decode(c.x);
        const check = (what: string, got: string, want: string): void => {
          if (got !== want) failures.push(`${what}(${c.repr}) = ${got}, Python: ${want}`);
        };
        check('repr', pyRepr(x), c.repr);
        for (const [d, want] of Object.entries(c.fixed)) {
          check(`fixed.${d}`, formatFixed(x, Number(d)), want);
          check(`exactFixed.${d}`, exactForTesting.formatFixed(x, Number(d)), want);
        }
        for (const [d, want] of Object.entries(c.sci)) {
          check(`sci.${d}`, formatSci(x, Number(d)), want);
          check(`exactSci.${d}`, exactForTesting.formatSci(x, Number(d)), want);
        }
      }
      assert.deepEqual(failures, []);
    });
  });

  describe('fast path agrees with the exact BigInt path', () => {
    // Deterministic xorshift so a failure reproduces.
    let state = 0x9e3779b9;
    const next = (): number => {
      state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
    const samples: number[] = [];
    const bits = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 4000; i++) {
      bits.setUint32(0, Math.floor(next() * 4294967296));
      bits.setUint32(4, Math.floor(next() * 4294967296));
      const raw = bits.getFloat64(0);
      if (Number.isFinite(raw)) samples.push(raw);
      samples.push(Math.fround((next() - 0.5) * 10 ** Math.floor(next() * 20 - 10)));
      samples.push(Math.round((next() - 0.5) * 2e6) / 2 ** Math.floor(next() * 14)); // dyadic: ties
    }
    for (const digits of [0, 1, 2, 4, 6, 10]) {
      it(`digits=${digits}`, () => {
        for (const x of samples) {
          assert.equal(formatSci(x, digits), exactForTesting.formatSci(x, digits), `sci ${x}`);
          assert.equal(formatFixed(x, digits), exactForTesting.formatFixed(x, digits), `fixed ${x}`);
        }
      });
    }
  });

  it('rejects invalid precisions', () => {
    assert.throws(() => formatFixed(1, -1), RangeError);
    assert.throws(() => formatSci(1, 1.5), RangeError);
  });
});
