/**
 * logCR / sincosCR against correctly rounded values computed by mpmath at 300 bits
 * (fixtures/correctlyRoundedMath.py writes the JSON).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logCR, sincosCR } from '../../../src/lib/random/correctlyRoundedMath';

type Pairs = Array<[string, string]>;
const fixture = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'correctlyRoundedMath.json'), 'utf8'),
) as { log: Pairs; sin: Pairs; cos: Pairs };

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function toBits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

function mismatches(pairs: Pairs, f: (x: number) => number): string[] {
  return pairs
    .filter(([x, expected]) => toBits(f(fromBits(x))) !== expected)
    .map(([x, expected]) => `f(${fromBits(x)}) = ${f(fromBits(x))}, expected ${fromBits(expected)}`);
}

describe('correctly rounded double math (mpmath reference)', () => {
  const out = new Float64Array(2);
  const sin = (x: number): number => { sincosCR(x, out); return out[0]; };
  const cos = (x: number): number => { sincosCR(x, out); return out[1]; };

  it(`logCR on ${fixture.log.length} arguments`, () => {
    assert.deepEqual(mismatches(fixture.log, logCR), []);
  });

  it(`sincosCR sine on ${fixture.sin.length} arguments`, () => {
    assert.deepEqual(mismatches(fixture.sin, sin), []);
  });

  it(`sincosCR cosine on ${fixture.cos.length} arguments`, () => {
    assert.deepEqual(mismatches(fixture.cos, cos), []);
  });

  it('passes special values through', () => {
    assert.ok(Number.isNaN(logCR(-1)));
    assert.equal(logCR(0), -Infinity);
    assert.equal(logCR(Infinity), Infinity);
    assert.ok(Object.is(sin(-0), -0));
    assert.ok(Number.isNaN(sin(Infinity)));
  });
});
