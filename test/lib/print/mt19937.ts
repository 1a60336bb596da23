/**
 * PyTorch's CPU default generator, as far as the print fixtures need it: mt19937 seeded like
 * `torch.manual_seed`, and `randn` for numel < 16 (double Box-Muller with the one-value cache
 * that lives in the generator). See /work/shared/oracle/rng_reference.py.
 */
export class TorchGenerator {
  private readonly state = new Uint32Array(624);
  private index = 624;
  private normalCache: number | null = null;

  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number): void {
    // init_genrand(seed mod 2^32)
    this.state[0] = Number(BigInt(seed) & 0xffffffffn);
    for (let i = 1; i < 624; i++) {
      const prev = this.state[i - 1];
      this.state[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.index = 624;
    this.normalCache = null;
  }

  /** One 32-bit output. */
  random(): number {
    if (this.index >= 624) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `(random64() & (2^53 - 1)) * 2^-53`, random64 drawing the high word first. */
  uniformDouble(): number {
    const hi = this.random();
    const lo = this.random();
    return ((hi & 0x1fffff) * 4294967296 + lo) * 2 ** -53;
  }

  /** `torch.randn(n)` values as doubles holding float32, for n < 16. */
  randn(n: number): number[] {
    if (n >= 16) throw new Error('test generator: randn with numel >= 16 (vectorised path) is not implemented');
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(Math.fround(this.normalDouble()));
    return out;
  }

  private normalDouble(): number {
    if (this.normalCache !== null) {
      const cached = this.normalCache;
      this.normalCache = null;
      return cached;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.normalCache = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  private twist(): void {
    const mt = this.state;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}
