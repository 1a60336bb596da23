/**
 * PyTorch's default CPU generator (`at::CPUGeneratorImpl`) and the CPU sampling kernels
 * that draw from it, reproducing PyTorch's random numbers bit for bit for the same seed.
 *
 * Draw primitives (aten/src/ATen/core/TransformationHelper.h, CPUGeneratorImpl.cpp):
 *   random()   = one mt19937 output (32 bits)
 *   random64() = (random() << 32) | random()           -- the first draw is the HIGH word
 *   float uniform  = (random() & (2^24 - 1)) * 2^-24   -- in [0, 1)
 *   double uniform = (random64() & (2^53 - 1)) * 2^-53
 *
 * Every `fill*` writes the whole output array in row-major order, which is the order in
 * which PyTorch's serial kernels visit a freshly allocated (contiguous) tensor.
 */
import { RuntimeError, ValueError } from '../errors';
import { formatCppDouble } from './cppFormat';
import { MT19937 } from './mt19937';
import { fma32, fma64 } from './fusedMultiplyAdd';
import { boxMuller16Float32, boxMuller16Float64 } from './boxMuller16';
import { cLog1p, cSinCos } from './cLibMath';

/** Everything that determines a Generator's future draws (see `getState`). */
export interface GeneratorState {
  readonly seed: bigint;
  readonly engine: { readonly words: Int32Array; readonly index: number };
  readonly cachedNormal: number | null;
}

/** `default_rng_seed_val` in c10/core/GeneratorImpl.h: the seed of an unseeded process. */
export const DEFAULT_SEED = 67280421310721n;

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_MINUS_53 = 2 ** -53;
const TWO_PI = 2 * Math.PI;
const UINT64_LIMIT = 1n << 64n;
const INT64_MIN = -(1n << 63n);
/** Contiguous float tensors with at least this many elements take the block (vectorised) normal path. */
const NORMAL_BLOCK_MIN_NUMEL = 16;
/** `randperm` keeps its original `random() % (n - i)` shuffle below this size. */
const RANDPERM_SMALL_LIMIT = Math.floor(0xffffffff / 20);

const sincosPair = new Float64Array(2);

export class Generator {
  private readonly engine = new MT19937();
  private seed = DEFAULT_SEED;
  // NOTE [normal cache]: Box-Muller yields two values; the scalar (numel < 16) path returns
  // r cos(theta) and keeps r sin(theta) here for the next scalar normal draw, in any later call.
  private hasCachedNormal = false;
  private cachedNormal = 0;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * `torch.manual_seed(seed)`: accepts integers in [-2^63, 2^64) (negative seeds are taken as
   * their two's-complement uint64, as PyTorch's `unpack_uint64`); mt19937 is seeded with
   * seed mod 2^32. Also drops the cached normal value.
   */
  manualSeed(seed: number | bigint): this {
    const seed64 = toUint64Seed(seed);
    this.seed = seed64;
    this.engine.seed(Number(seed64 & 0xffffffffn));
    this.hasCachedNormal = false;
    this.cachedNormal = 0;
    return this;
  }

  /** `torch.initial_seed()`: the last seed given to `manualSeed`, as a uint64. */
  initialSeed(): bigint {
    return this.seed;
  }

  /**
   * A snapshot of the generator (`torch.get_rng_state()` semantics, not its byte layout):
   * restoring it with `setState` replays exactly the same draws, normal cache included.
   */
  getState(): GeneratorState {
    return {
      seed: this.seed,
      engine: this.engine.getState(),
      cachedNormal: this.hasCachedNormal ? this.cachedNormal : null,
    };
  }

  setState(state: GeneratorState): this {
    this.engine.setState({ words: state.engine.words, index: state.engine.index });
    this.seed = state.seed;
    this.hasCachedNormal = state.cachedNormal !== null;
    this.cachedNormal = state.cachedNormal ?? 0;
    return this;
  }

  /** `random()`: the next 32-bit output, in [0, 2^32). */
  nextUint32(): number {
    return this.engine.nextUint32();
  }

  /** `random64()` as a BigInt (convenience; the sampling loops use the two halves directly). */
  nextUint64(): bigint {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** `uniform_real_distribution<float>(0, 1)`: 24 random bits. */
  nextFloatUniform(): number {
    return (this.engine.nextInt32() & 0xffffff) * TWO_POW_MINUS_24;
  }

  /** `uniform_real_distribution<double>(0, 1)`: the low 53 bits of random64(). */
  nextDoubleUniform(): number {
    const hi = this.engine.nextInt32();
    const lo = this.engine.nextInt32() >>> 0;
    return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_MINUS_53;
  }

  /** `torch.rand` (= `uniform_(0, 1)`). */
  fillRand(out: Float32Array | Float64Array): void {
    if (out instanceof Float32Array) {
      for (let i = 0; i < out.length; i++) out[i] = (this.engine.nextInt32() & 0xffffff) * TWO_POW_MINUS_24;
    } else {
      for (let i = 0; i < out.length; i++) out[i] = this.nextDoubleUniform();
    }
  }

  /**
   * `uniform_(from, to)`: u * (to - from) + from, fused, in the tensor's precision
   * (float32: from, to and to - from are rounded to float32 first).
   */
  fillUniform(out: Float32Array | Float64Array, from: number, to: number): void {
    if (from > to) {
      throw new RuntimeError(
        `uniform_ expects to return a [from, to) range, but found from=${formatCppDouble(from)} > to=${formatCppDouble(to)}`,
      );
    }
    if (out instanceof Float32Array) {
      const lo = Math.fround(from);
      const range = Math.fround(Math.fround(to) - lo);
      for (let i = 0; i < out.length; i++) {
        out[i] = fma32((this.engine.nextInt32() & 0xffffff) * TWO_POW_MINUS_24, range, lo);
      }
    } else {
      const range = to - from;
      for (let i = 0; i < out.length; i++) out[i] = fma64(this.nextDoubleUniform(), range, from);
    }
  }

  /**
   * `normal_(mean, std)` / `torch.randn` / `torch.normal(mean, std, size)` on a contiguous
   * tensor: block Box-Muller for numel >= 16, else the scalar path with the normal cache.
   * See NOTE [normal paths].
   */
  fillNormal(out: Float32Array | Float64Array, mean: number, std: number): void {
    checkStd(std);
    if (out.length < NORMAL_BLOCK_MIN_NUMEL) {
      this.fillNormalSerial(out, mean, std);
    } else if (out instanceof Float32Array) {
      this.fillNormalBlocks32(out, Math.fround(mean), Math.fround(std));
    } else {
      this.fillNormalBlocks64(out, mean, std);
    }
  }

  /**
   * The scalar normal path for every element, whatever the size: what `normal_` does on a
   * NON-contiguous tensor (visiting elements in TensorIterator order is the caller's job).
   */
  fillNormalSerial(out: Float32Array | Float64Array, mean: number, std: number): void {
    checkStd(std);
    for (let i = 0; i < out.length; i++) out[i] = this.nextScalarNormal(mean, std);
  }

  /**
   * `torch.randint(low, high, size)` (int64 stored as doubles): random() % range + low, or
   * random64() % range + low when range >= 2^32. Exact while |values| <= 2^53.
   */
  fillRandint(out: Float64Array, low: number, high: number): void {
    const range = high - low;
    if (!(range > 0)) {
      throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    }
    if (range < TWO_POW_32) {
      for (let i = 0; i < out.length; i++) out[i] = (this.engine.nextUint32() % range) + low;
      return;
    }
    // NOTE: 64-bit range: BigInt is fine here, this path is rare (ranges >= 2^32).
    const range64 = BigInt(high) - BigInt(low);
    const low64 = BigInt(low);
    for (let i = 0; i < out.length; i++) out[i] = Number((this.nextUint64() % range64) + low64);
  }

  /** `torch.randperm(n)` (int64 stored as doubles). */
  randperm(n: number): Float64Array {
    if (n < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
    const result = new Float64Array(n);
    if (n < RANDPERM_SMALL_LIMIT) {
      for (let i = 0; i < n; i++) result[i] = i;
      for (let i = 0; i < n - 1; i++) {
        const z = this.engine.nextUint32() % (n - i);
        const saved = result[i];
        result[i] = result[i + z];
        result[i + z] = saved;
      }
      return result;
    }
    // Huge n: PyTorch switches to the "inside-out" Fisher-Yates with random64() % (i + 1).
    for (let i = 0; i < n; i++) {
      const z = this.nextUint64ModSmall(i + 1);
      result[i] = result[z];
      result[z] = i;
    }
    return result;
  }

  /** `bernoulli_(p)` with a scalar p: one double uniform per element, 1 where u < p. */
  fillBernoulliScalar(out: Float32Array | Float64Array, p: number): void {
    if (!(p >= 0 && p <= 1)) {
      throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${formatCppDouble(p)}`);
    }
    for (let i = 0; i < out.length; i++) out[i] = this.nextDoubleUniform() < p ? 1 : 0;
  }

  /**
   * `torch.bernoulli(p)` / `bernoulli_(p_tensor)` with p already broadcast to out's shape.
   * A float32 p compares a float uniform (24 bits) with p; a float64 p compares a double
   * uniform (53 bits), as ATen's `bernoulli_tensor_cpu` does for a Double p tensor.
   */
  fillBernoulliTensor(
    out: Float32Array | Float64Array,
    p: ArrayLike<number>,
    pDtype: 'float32' | 'float64' = 'float32',
  ): void {
    if (p.length !== out.length) {
      throw new RangeError(`fillBernoulliTensor: p has ${p.length} elements, out has ${out.length} (broadcast p first)`);
    }
    for (let i = 0; i < p.length; i++) {
      // NOTE: PyTorch checks each p inside the sampling loop; checking first draws nothing on error.
      if (!(p[i] >= 0 && p[i] <= 1)) throw new RuntimeError(BERNOULLI_P_RANGE_MESSAGE);
    }
    if (pDtype === 'float32') {
      for (let i = 0; i < out.length; i++) {
        out[i] = (this.engine.nextInt32() & 0xffffff) * TWO_POW_MINUS_24 < Math.fround(p[i]) ? 1 : 0;
      }
    } else {
      for (let i = 0; i < out.length; i++) out[i] = this.nextDoubleUniform() < p[i] ? 1 : 0;
    }
  }

  /**
   * `at::normal_distribution<double>` (used for float32 AND float64 outputs of the scalar
   * path): double Box-Muller with the generator's one-value cache; `val * std + mean` is
   * fused (GCC contraction in the AVX2 kernel). Returns a double; callers round to their dtype.
   */
  private nextScalarNormal(mean: number, std: number): number {
    if (this.hasCachedNormal) {
      this.hasCachedNormal = false;
      return fma64(this.cachedNormal, std, mean);
    }
    const u1 = this.nextDoubleUniform();
    const u2 = this.nextDoubleUniform();
    const r = Math.sqrt(-2 * cLog1p(-u2));
    cSinCos(TWO_PI * u1, sincosPair);
    this.cachedNormal = r * sincosPair[0];
    this.hasCachedNormal = true;
    return fma64(r * sincosPair[1], std, mean);
  }

  /** `normal_fill_AVX2`: see NOTE [normal paths]. */
  private fillNormalBlocks32(out: Float32Array, mean: number, std: number): void {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = (this.engine.nextInt32() & 0xffffff) * TWO_POW_MINUS_24;
    boxMuller16Float32(out, 0, Math.floor(n / 16), mean, std);
    if (n % 16 !== 0) {
      // The last 16 positions get fresh uniforms and are transformed again.
      for (let i = n - 16; i < n; i++) out[i] = (this.engine.nextInt32() & 0xffffff) * TWO_POW_MINUS_24;
      boxMuller16Float32(out, n - 16, 1, mean, std);
    }
  }

  /** `normal_fill<double>`: same block structure with double uniforms and C-library math. */
  private fillNormalBlocks64(out: Float64Array, mean: number, std: number): void {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = this.nextDoubleUniform();
    for (let i = 0; i + 16 <= n; i += 16) boxMuller16Float64(out, i, mean, std);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = this.nextDoubleUniform();
      boxMuller16Float64(out, n - 16, mean, std);
    }
  }

  /** random64() % m for 0 < m < 2^37 without BigInt: ((hi mod m) * 2^32 + lo) mod m in steps of 2^16. */
  private nextUint64ModSmall(m: number): number {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    let r = hi % m;
    r = (r * 65536) % m;
    r = (r * 65536) % m;
    return (r + lo) % m;
  }
}

/*
 * NOTE [normal paths] (aten/src/ATen/native/cpu/DistributionTemplates.h, `normal_kernel`):
 * - numel < 16, or a non-contiguous tensor: one `normal_distribution<double>` draw per
 *   element (`nextScalarNormal`), cast to the tensor's dtype. Uses and refills the cache.
 * - float32, contiguous, numel >= 16: `normal_fill_AVX2`. All n elements are first filled with
 *   float uniforms; each full block of 16 is transformed in place; if n % 16 != 0 the last 16
 *   positions receive 16 NEW uniforms and are transformed again (randn(17) consumes 33 outputs).
 * - float64, contiguous, numel >= 16: `normal_fill<double>`, the same structure with double
 *   uniforms and the C library's log/sin/cos in double.
 * The block paths never read or clear the normal cache.
 */

const BERNOULLI_P_RANGE_MESSAGE =
  'Expected p_in >= 0 && p_in <= 1 to be true, but got false.  ' +
  '(Could this error message be improved?  If so, please report an enhancement request to PyTorch.)';

function checkStd(std: number): void {
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${formatCppDouble(std)}`);
}

/** torch.manual_seed's `int(seed)` then `unpack_uint64`: [-2^63, 2^64), negatives as two's complement. */
function toUint64Seed(seed: number | bigint): bigint {
  let value: bigint;
  if (typeof seed === 'bigint') {
    value = seed;
  } else {
    if (Number.isNaN(seed)) throw new ValueError('cannot convert float NaN to integer');
    // NOTE: Python raises OverflowError here, a type errors.ts does not model.
    if (!Number.isFinite(seed)) throw new RuntimeError('cannot convert float infinity to integer');
    value = BigInt(Math.trunc(seed));
  }
  if (value < INT64_MIN || value >= UINT64_LIMIT) throw new RuntimeError('Overflow when unpacking long');
  return BigInt.asUintN(64, value);
}

/** The generator `torch.manual_seed` seeds and every sampling op uses by default. */
export const defaultGenerator = new Generator();
