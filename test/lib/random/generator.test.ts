import assert from 'node:assert/strict';
import { formatCppDouble } from '../../../src/lib/random/cppFormat';
import { Generator } from '../../../src/lib/random/generator';
import {
  calculateGain, dropoutMask, initLinear, kaimingNormalStd, kaimingUniformBound, linearBiasBound, xavierNormalStd,
  xavierUniformBound,
} from '../../../src/lib/random/init';
import { MT19937 } from '../../../src/lib/random/mt19937';
import { exactFma64 } from './exactArithmetic';

function bits(values: Float32Array | Float64Array): string[] {
  return Array.from(values, (v) => (Object.is(v, -0) ? '-0' : String(v)));
}

function randn(gen: Generator, n: number, dtype: 'float32' | 'float64' = 'float32'): Float32Array | Float64Array {
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  gen.fillNormal(out, 0, 1);
  return out;
}

/** The index of the next mt19937 output `gen` will hand out, found by matching a fresh engine. */
function streamPosition(gen: Generator, seed: number): number {
  const next = gen.nextUint32();
  const engine = new MT19937(seed);
  for (let i = 0; i < 10000; i++) if (engine.nextUint32() === next) return i;
  throw new Error('position not found');
}

describe('MT19937', () => {
  it('produces the reference sequence for seed 5489', () => {
    const engine = new MT19937(5489);
    const first = Array.from({ length: 5 }, () => engine.nextUint32());
    assert.deepEqual(first, [3499211612, 581869302, 3890346734, 3586334585, 545404204]);
    for (let i = 6; i < 10000; i++) engine.nextUint32();
    // C++ [rand.predef]: the 10000th output of a default-constructed std::mt19937.
    assert.equal(engine.nextUint32(), 4123659995);
  });
});

describe('Generator seeding', () => {
  it('seeds mt19937 with the seed mod 2^32 and reports the full seed', () => {
    const a = new Generator(2 ** 32 + 5);
    const b = new Generator(5);
    assert.equal(a.initialSeed(), 4294967301n);
    assert.deepEqual([a.nextUint32(), a.nextUint32()], [b.nextUint32(), b.nextUint32()]);
  });

  it('takes negative seeds as their two\'s-complement uint64, as torch.manual_seed', () => {
    const g = new Generator(-1);
    assert.equal(g.initialSeed(), 2n ** 64n - 1n);
    assert.equal(g.nextUint32(), new MT19937(0xffffffff).nextUint32());
    assert.equal(new Generator(-(2n ** 63n)).initialSeed(), 2n ** 63n);
  });

  it('rejects seeds outside [-2^63, 2^64) with PyTorch\'s message', () => {
    assert.throws(() => new Generator(2n ** 64n), /^RuntimeError: Overflow when unpacking long$/);
    assert.throws(() => new Generator(-(2n ** 63n) - 1n), /Overflow when unpacking long/);
  });

  it('defaults to PyTorch\'s default seed', () => {
    assert.equal(new Generator().initialSeed(), 67280421310721n);
  });
});

describe('Generator state snapshots', () => {
  it('replays the same draws from a restored state, normal cache included', () => {
    const g = new Generator(21);
    randn(g, 1); // leaves a cached normal
    g.fillRand(new Float32Array(700)); // crosses a twist
    const state = g.getState();
    const expected = [bits(randn(g, 3)), bits(randn(g, 20))];
    const other = new Generator(0).setState(state);
    assert.deepEqual([bits(randn(other, 3)), bits(randn(other, 20))], expected);
    assert.equal(other.initialSeed(), 21n);
  });
});

describe('Generator normal cache (numel < 16)', () => {
  it('returns Box-Muller pairs across calls: randn(1), randn(1) == randn(2)', () => {
    const pair = randn(new Generator(7), 2);
    const g = new Generator(7);
    const first = randn(g, 1);
    const second = randn(g, 1);
    assert.deepEqual(bits(new Float32Array([first[0], second[0]])), bits(pair));
    assert.equal(streamPosition(g, 7), 4, 'one pair consumes two double uniforms = 4 outputs');
  });

  it('is neither used nor cleared by the numel >= 16 path', () => {
    const g = new Generator(3);
    const a = randn(g, 1);
    const block = randn(g, 16);
    const c = randn(g, 1);
    const pair = randn(new Generator(3), 2);
    assert.deepEqual(bits(new Float32Array([a[0], c[0]])), bits(pair));
    const skipped = new Generator(3);
    for (let i = 0; i < 4; i++) skipped.nextUint32();
    assert.deepEqual(bits(block), bits(randn(skipped, 16)), 'the block draws right after the pair');
  });

  it('is dropped by manualSeed', () => {
    const g = new Generator(11);
    randn(g, 1);
    g.manualSeed(11);
    assert.deepEqual(bits(randn(g, 1)), bits(randn(new Generator(11), 1)));
    assert.equal(streamPosition(g, 11), 4, 'the value came from a new pair, not the cache');
  });

  it('feeds float32 and float64 outputs alike (cast of the same double)', () => {
    const f64 = randn(new Generator(5), 3, 'float64');
    const f32 = randn(new Generator(5), 3, 'float32');
    assert.deepEqual(bits(f32), bits(Float32Array.from(f64)));
  });
});

describe('Generator block normal path (numel >= 16)', () => {
  it('redraws 16 uniforms for a ragged tail: randn(17) consumes 33 outputs', () => {
    const g = new Generator(1);
    randn(g, 17);
    assert.equal(streamPosition(g, 1), 33);
  });

  it('uses 53-bit uniforms for float64: randn(17, float64) consumes 66 outputs', () => {
    const g = new Generator(1);
    randn(g, 17, 'float64');
    assert.equal(streamPosition(g, 1), 66);
  });

  it('leaves the head of randn(17) equal to randn(16)', () => {
    const head = randn(new Generator(9), 17).subarray(0, 1);
    assert.deepEqual(bits(head), bits(randn(new Generator(9), 16).subarray(0, 1)));
  });

  it('scales by fma(x, std, mean)', () => {
    const plain = randn(new Generator(4), 32, 'float64');
    const scaled = new Float64Array(32);
    new Generator(4).fillNormal(scaled, 0.25, 3);
    assert.deepEqual(bits(scaled), bits(plain.map((x) => exactFma64(x, 3, 0.25))));
  });
});

describe('Generator uniform, integer and Bernoulli draws', () => {
  it('float64 uniform_ is fma(u53, to - from, from)', () => {
    const g = new Generator(8);
    const twin = new Generator(8);
    const out = new Float64Array(200);
    g.fillUniform(out, -0.3, 0.45);
    const expected = Array.from({ length: 200 }, () => exactFma64(twin.nextDoubleUniform(), 0.45 - -0.3, -0.3));
    assert.deepEqual(bits(out), bits(Float64Array.from(expected)));
  });

  it('randint uses random() below 2^32 and random64() from 2^32 on', () => {
    const g = new Generator(2);
    const engine = new MT19937(2);
    const small = new Float64Array(3);
    g.fillRandint(small, -5, 5);
    assert.deepEqual(Array.from(small), [0, 1, 2].map(() => (engine.nextUint32() % 10) - 5));
    const wide = new Float64Array(2);
    g.fillRandint(wide, 0, 2 ** 40);
    const expected = [0, 1].map(() => {
      const hi = BigInt(engine.nextUint32());
      const lo = BigInt(engine.nextUint32());
      return Number(((hi << 32n) | lo) % 2n ** 40n);
    });
    assert.deepEqual(Array.from(wide), expected);
  });

  it('randperm returns a permutation drawn by random() % (n - i) swaps', () => {
    const perm = new Generator(6).randperm(50);
    assert.deepEqual(Array.from(perm).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    const engine = new MT19937(6);
    const expected = Array.from({ length: 50 }, (_, i) => i);
    for (let i = 0; i < 49; i++) {
      const z = engine.nextUint32() % (50 - i);
      [expected[i], expected[i + z]] = [expected[i + z], expected[i]];
    }
    assert.deepEqual(Array.from(perm), expected);
    assert.equal(new Generator(6).randperm(0).length, 0);
  });

  it('bernoulli with a float64 p compares double uniforms, with a float32 p float uniforms', () => {
    const p = Float64Array.from({ length: 64 }, (_, i) => i / 63);
    const g64 = new Generator(10);
    const twin64 = new Generator(10);
    const out64 = new Float64Array(64);
    g64.fillBernoulliTensor(out64, p, 'float64');
    assert.deepEqual(Array.from(out64), Array.from(p, (pi) => (twin64.nextDoubleUniform() < pi ? 1 : 0)));
    const g32 = new Generator(10);
    const twin32 = new Generator(10);
    const out32 = new Float32Array(64);
    g32.fillBernoulliTensor(out32, p);
    assert.deepEqual(Array.from(out32), Array.from(p, (pi) => (twin32.nextFloatUniform() < Math.fround(pi) ? 1 : 0)));
  });

  it('checks arguments with PyTorch\'s messages', () => {
    const g = new Generator(0);
    assert.throws(() => g.fillRandint(new Float64Array(1), 5, 5), /random_ expects 'from' to be less than 'to', but got from=5 >= to=5/);
    assert.throws(() => g.fillBernoulliScalar(new Float32Array(1), 1.5), /bernoulli_ expects p to be in \[0, 1\], but got p=1.5/);
    assert.throws(() => g.fillBernoulliTensor(new Float32Array(1), [2]), /Expected p_in >= 0 && p_in <= 1 to be true/);
    assert.throws(() => g.fillUniform(new Float32Array(1), 2, 1), /uniform_ expects to return a \[from, to\) range, but found from=2 > to=1/);
    assert.throws(() => g.fillNormal(new Float32Array(1), 0, -1), /normal expects std >= 0.0, but found std -1/);
  });
});

describe('init helpers', () => {
  it('kaimingUniformBound(fan_in, sqrt(5)) is 1/sqrt(fan_in) up to double rounding', () => {
    for (const fanIn of [1, 3, 12, 20, 784]) {
      assert.ok(Math.abs(kaimingUniformBound(fanIn, Math.sqrt(5)) - linearBiasBound(fanIn)) < 1e-15);
    }
  });

  it('follows torch.nn.init.calculate_gain and the xavier / kaiming formulas', () => {
    assert.equal(calculateGain('relu'), Math.SQRT2);
    assert.equal(calculateGain('tanh'), 5 / 3);
    assert.equal(calculateGain('conv2d'), 1);
    assert.equal(calculateGain('leaky_relu'), Math.sqrt(2 / (1 + 0.01 * 0.01)));
    assert.equal(kaimingUniformBound(12, 0, 'relu'), Math.sqrt(3) * (Math.SQRT2 / Math.sqrt(12)));
    assert.equal(kaimingNormalStd(12, 0.2), Math.sqrt(2 / (1 + 0.2 * 0.2)) / Math.sqrt(12));
    assert.equal(xavierNormalStd(3, 5, 1.3), 1.3 * Math.sqrt(2 / 8));
    assert.equal(xavierUniformBound(3, 5, 1.3), Math.sqrt(3) * 1.3 * Math.sqrt(2 / 8));
  });

  it('initLinear draws the weight, then the bias', () => {
    const { weight, bias } = initLinear(new Generator(0), 4, 3);
    const g = new Generator(0);
    const w = new Float32Array(12);
    const b = new Float32Array(3);
    g.fillUniform(w, -kaimingUniformBound(4, Math.sqrt(5)), kaimingUniformBound(4, Math.sqrt(5)));
    g.fillUniform(b, -0.5, 0.5);
    assert.deepEqual(bits(weight), bits(w));
    assert.deepEqual(bits(bias ?? new Float32Array()), bits(b));
  });

  it('dropoutMask draws bernoulli_(1 - p) and scales by f32(1) / f32(1 - p)', () => {
    const { mask, scale } = dropoutMask(new Generator(3), 40, 0.2);
    const expected = new Float32Array(40);
    new Generator(3).fillBernoulliScalar(expected, 0.8);
    assert.deepEqual(bits(mask), bits(expected));
    assert.equal(scale, Math.fround(1 / Math.fround(0.8)));
  });

  it('dropoutMask with p = 0 or 1 draws nothing', () => {
    const g = new Generator(3);
    assert.deepEqual(dropoutMask(g, 2, 0), { mask: new Float32Array([1, 1]), scale: 1 });
    assert.deepEqual(dropoutMask(g, 2, 1), { mask: new Float32Array([0, 0]), scale: 0 });
    assert.equal(streamPosition(g, 3), 0);
  });
});

describe('formatCppDouble', () => {
  it('prints like std::ostream (printf %g)', () => {
    const cases: Array<[number, string]> = [
      [2.5, '2.5'], [1e-7, '1e-07'], [1234567, '1.23457e+06'], [-1, '-1'], [0.1, '0.1'],
      [100000, '100000'], [1e6, '1e+06'], [0.0001, '0.0001'], [0.00012345678, '0.000123457'],
      [1.5e300, '1.5e+300'], [0.30000000000000004, '0.3'],
    ];
    for (const [x, text] of cases) assert.equal(formatCppDouble(x), text, String(x));
  });
});
