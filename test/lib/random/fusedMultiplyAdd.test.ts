import assert from 'node:assert/strict';
import { fma32, fma64 } from '../../../src/lib/random/fusedMultiplyAdd';
import { exactFma32, exactFma64 } from './exactArithmetic';
import { MT19937 } from '../../../src/lib/random/mt19937';

/** Deterministic test inputs (not the code under test's own generator semantics). */
function makeUniform(seed: number): () => number {
  const engine = new MT19937(seed);
  return () => engine.nextUint32() / 2 ** 32;
}

function sameBits(got: number, expected: number, what: string): void {
  assert.ok(Object.is(got, expected), `${what}: got ${got}, expected ${expected}`);
}

describe('fma32 (correctly rounded float32 fused multiply-add)', () => {
  it('fixes the double-rounding tie when the exact value lies below a float32 midpoint', () => {
    // a*b = 1 - 2^-46, so a*b + c = 2^24 + 3 - 2^-46: rounding to double lands exactly on the
    // midpoint 2^24 + 3 and ties-to-even would then pick 2^24 + 4; the exact value is below.
    const a = 1 + 2 ** -23;
    const b = 1 - 2 ** -23;
    const c = 2 ** 24 + 2;
    const expected = exactFma32(a, b, c);
    assert.notEqual(Math.fround(a * b + c), expected, 'the inputs must be a double-rounding case');
    sameBits(fma32(a, b, c), expected, 'fma32');
    sameBits(fma32(-a, b, -c), -expected, 'fma32 mirrored');
  });

  it('fixes the double-rounding tie when the exact value lies above a float32 midpoint', () => {
    // Find float32 a, b with a*b = 3 + t*2^-45 (0 < t < 2^16): then a*b + (2^24 + 2) rounds to
    // the double 2^24 + 5, a midpoint whose even neighbour 2^24 + 4 is below the exact value.
    const target = 3 * 2 ** 45;
    let found = false;
    for (let ma = 2 ** 23; ma < 2 ** 24 && !found; ma++) {
      const mb = Math.ceil(target / ma);
      const t = ma * mb - target;
      if (t === 0 || t >= 2 ** 16) continue;
      found = true;
      const a = ma * 2 ** -23;
      const b = mb * 2 ** -22;
      const c = 2 ** 24 + 2;
      const expected = exactFma32(a, b, c);
      assert.notEqual(Math.fround(a * b + c), expected, 'the inputs must be a double-rounding case');
      sameBits(fma32(a, b, c), expected, `fma32(${a}, ${b}, ${c})`);
      sameBits(fma32(a, -b, -c), -expected, 'fma32 mirrored');
    }
    assert.ok(found, 'no test input found');
  });

  it('agrees with exact rounding on random float32 operands of mixed magnitudes', () => {
    const uniform = makeUniform(12345);
    const randomFloat32 = (): number => {
      const sign = uniform() < 0.5 ? -1 : 1;
      return Math.fround(sign * (1 + uniform()) * 2 ** Math.floor(uniform() * 60 - 30));
    };
    for (let i = 0; i < 20000; i++) {
      const a = randomFloat32();
      const b = randomFloat32();
      // Mostly c of similar size to a*b (cancellation, carries), sometimes unrelated.
      const c = i % 3 === 0 ? randomFloat32() : Math.fround(-a * b * (1 + (uniform() - 0.5) * 2 ** -Math.floor(uniform() * 30)));
      sameBits(fma32(a, b, c), exactFma32(a, b, c), `fma32(${a}, ${b}, ${c})`);
    }
  });

  it('gives IEEE signed zeros', () => {
    sameBits(fma32(-0, 1, 0), 0, 'fma32(-0, 1, 0)');
    sameBits(fma32(-0, 1, -0), -0, 'fma32(-0, 1, -0)');
    sameBits(fma32(1.5, 2, -3), 0, 'exact cancellation');
  });
});

describe('fma64 (correctly rounded double fused multiply-add)', () => {
  it('fixes the double-rounding tie of a*b + c', () => {
    const a = 1 + 2 ** -52;
    const b = 1 - 2 ** -52;
    const c = 2 ** 53 + 2;
    const expected = exactFma64(a, b, c);
    assert.notEqual(a * b + c, expected, 'the inputs must be a double-rounding case');
    sameBits(fma64(a, b, c), expected, 'fma64');
    sameBits(fma64(-a, b, -c), -expected, 'fma64 mirrored');
  });

  it('rounds by the discarded low part when the rounded sum sits on a midpoint', () => {
    // a*b = 3 + t*2^-103 with 0 < t < 2^49: a*b rounds to 3, 3 + (2^53 + 2) is the midpoint
    // 2^53 + 5, and only t (too small to survive even next to the rounding error 1 of that
    // sum) decides that the answer is 2^53 + 6.
    const target = 3n << 103n;
    let found = false;
    // Start away from 2^52, where t varies too smoothly with ma to become small quickly.
    for (let ma = (1n << 52n) + 0x9e3779b97f4an; !found; ma++) {
      const mb = (target + ma - 1n) / ma;
      const t = ma * mb - target;
      if (t === 0n || t >= 1n << 49n || mb >= 1n << 53n) continue;
      found = true;
      const a = Number(ma) * 2 ** -52;
      const b = Number(mb) * 2 ** -51;
      const c = 2 ** 53 + 2;
      const expected = exactFma64(a, b, c);
      assert.notEqual(a * b + c, expected, 'the inputs must be a double-rounding case');
      sameBits(fma64(a, b, c), expected, `fma64(${a}, ${b}, ${c})`);
    }
  });

  it('agrees with exact rounding on random operands of mixed magnitudes', () => {
    const uniform = makeUniform(54321);
    const randomDouble = (): number => {
      const sign = uniform() < 0.5 ? -1 : 1;
      const mantissa = 1 + uniform() + uniform() * 2 ** -32;
      return sign * mantissa * 2 ** Math.floor(uniform() * 120 - 60);
    };
    for (let i = 0; i < 20000; i++) {
      const a = randomDouble();
      const b = randomDouble();
      const c = i % 3 === 0 ? randomDouble() : -a * b * (1 + (uniform() - 0.5) * 2 ** -Math.floor(uniform() * 60));
      sameBits(fma64(a, b, c), exactFma64(a, b, c), `fma64(${a}, ${b}, ${c})`);
    }
  });

  it('gives IEEE signed zeros', () => {
    sameBits(fma64(-0, 1, 0), 0, 'fma64(-0, 1, 0)');
    sameBits(fma64(-0, 1, -0), -0, 'fma64(-0, 1, -0)');
    sameBits(fma64(0.1, 10, -(0.1 * 10)), exactFma64(0.1, 10, -(0.1 * 10)), 'residual of a rounded product');
  });
});
