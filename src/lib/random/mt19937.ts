/**
 * The 32-bit Mersenne Twister (MT19937) exactly as ATen's `at::mt19937`
 * (aten/src/ATen/core/MT19937RNGEngine.h): Matsumoto & Nishimura's `init_genrand`
 * seeding and the standard tempering, so seed 5489 yields the reference sequence
 * 3499211612, 581869302, 3890346734, ...
 */

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df | 0;
const UPPER_MASK = 0x80000000 | 0;
const LOWER_MASK = 0x7fffffff;

export class MT19937 {
  // NOTE: Int32Array and `| 0` keep every word a small integer in V8; uint32 values above
  // 2^31 would be boxed as heap numbers whenever they leave an optimised function.
  private readonly state = new Int32Array(STATE_SIZE);
  /** Index of the next untempered word; STATE_SIZE means "twist before reading". */
  private index = STATE_SIZE;

  constructor(seed32 = 5489) {
    this.seed(seed32);
  }

  /** `init_genrand`: only the low 32 bits of `seed32` are used (callers reduce first). */
  seed(seed32: number): void {
    const mt = this.state;
    mt[0] = seed32 | 0;
    for (let i = 1; i < STATE_SIZE; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // NOTE: Math.imul keeps the 32-bit wrap-around of the C++ uint32 multiply.
      mt[i] = (Math.imul(1812433253, prev) + i) | 0;
    }
    this.index = STATE_SIZE;
  }

  /** A copy of the engine state (for `torch.get_rng_state`-like snapshots). */
  getState(): { words: Int32Array; index: number } {
    return { words: this.state.slice(), index: this.index };
  }

  setState(saved: { words: Int32Array; index: number }): void {
    if (saved.words.length !== STATE_SIZE || saved.index < 0 || saved.index > STATE_SIZE) {
      throw new RangeError('MT19937.setState: not an mt19937 state');
    }
    this.state.set(saved.words);
    this.index = saved.index;
  }

  /** Next tempered 32-bit output as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /**
   * Next tempered output with its 32 bits read as a signed int32 (the fast form for
   * callers that only mask the low bits: `(x & 0xffffff)` is the same for both readings).
   */
  nextInt32(): number {
    if (this.index >= STATE_SIZE) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /** Regenerates all 624 words at once (the classic `next_state`). */
  private twist(): void {
    const mt = this.state;
    let i = 0;
    for (; i < STATE_SIZE - SHIFT_SIZE; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + SHIFT_SIZE] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < STATE_SIZE - 1; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + SHIFT_SIZE - STATE_SIZE] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[STATE_SIZE - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[STATE_SIZE - 1] = mt[SHIFT_SIZE - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }
}
