/**
 * A minimal WebAssembly binary writer: just enough to emit the GEMM kernels as bytes at load time,
 * so the library ships no generated binary and needs no build step (it is bundled by esbuild into
 * a worker, a CLI and a browser webview, and each of those can compile a Uint8Array synchronously).
 *
 * Only the instructions the kernels use are named here; see the WebAssembly core spec
 * (binary format, §5) and the SIMD proposal (opcodes after the 0xFD prefix).
 */

export type ValType = 'i32' | 'f32' | 'f64' | 'v128';

const VALTYPE_CODE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

function unsignedLeb(value: number, out: number[]): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function signedLeb(value: number, out: number[]): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function encodeName(name: string, out: number[]): void {
  const bytes = new TextEncoder().encode(name);
  unsignedLeb(bytes.length, out);
  for (const b of bytes) out.push(b);
}

/** A local variable or parameter slot of the function being written. */
export interface Local {
  readonly index: number;
  readonly type: ValType;
}

/** log2 of the natural alignment, as memory instructions encode it. */
const ALIGN_F32 = 2;
const ALIGN_F64 = 3;
const ALIGN_V128 = 4;

/**
 * Writes one function body. Instructions are appended in stack-machine order; the methods return
 * `this` so a sequence reads top to bottom like WAT.
 */
export class FunctionWriter {
  private readonly code: number[] = [];
  private readonly locals: ValType[] = [];
  private readonly paramCount: number;

  constructor(readonly params: readonly ValType[], readonly results: readonly ValType[]) {
    this.paramCount = params.length;
  }

  param(i: number): Local {
    if (i < 0 || i >= this.paramCount) throw new RangeError(`no parameter ${i}`);
    return { index: i, type: this.params[i] };
  }

  local(type: ValType): Local {
    this.locals.push(type);
    return { index: this.paramCount + this.locals.length - 1, type };
  }

  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  private simd(opcode: number): this {
    this.code.push(0xfd);
    unsignedLeb(opcode, this.code);
    return this;
  }

  private memarg(alignLog2: number, offset: number): this {
    unsignedLeb(alignLog2, this.code);
    unsignedLeb(offset, this.code);
    return this;
  }

  // Control. Blocks here never yield values, so their block type is always the empty type 0x40.
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if(): this { return this.op(0x04, 0x40); }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { this.op(0x0c); unsignedLeb(depth, this.code); return this; }
  brIf(depth: number): this { this.op(0x0d); unsignedLeb(depth, this.code); return this; }

  // Locals.
  get(l: Local): this { this.op(0x20); unsignedLeb(l.index, this.code); return this; }
  set(l: Local): this { this.op(0x21); unsignedLeb(l.index, this.code); return this; }
  tee(l: Local): this { this.op(0x22); unsignedLeb(l.index, this.code); return this; }

  // i32 arithmetic.
  i32Const(v: number): this { this.op(0x41); signedLeb(v, this.code); return this; }
  i32Eqz(): this { return this.op(0x45); }
  i32Eq(): this { return this.op(0x46); }
  i32Ne(): this { return this.op(0x47); }
  i32LtU(): this { return this.op(0x49); }
  i32GtU(): this { return this.op(0x4b); }
  i32GeU(): this { return this.op(0x4f); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32And(): this { return this.op(0x71); }
  i32ShrU(): this { return this.op(0x76); }

  /** local += constant (i32). */
  addConst(l: Local, c: number): this {
    return this.get(l).i32Const(c).i32Add().set(l);
  }

  // Scalar memory.
  f32Load(offset = 0): this { return this.op(0x2a).memarg(ALIGN_F32, offset); }
  f64Load(offset = 0): this { return this.op(0x2b).memarg(ALIGN_F64, offset); }
  f32Store(offset = 0): this { return this.op(0x38).memarg(ALIGN_F32, offset); }
  f64Store(offset = 0): this { return this.op(0x39).memarg(ALIGN_F64, offset); }

  // SIMD128.
  v128Load(offset = 0): this { return this.simd(0x00).memarg(ALIGN_V128, offset); }
  v128Load32Splat(offset = 0): this { return this.simd(0x09).memarg(ALIGN_F32, offset); }
  v128Load64Splat(offset = 0): this { return this.simd(0x0a).memarg(ALIGN_F64, offset); }
  v128Store(offset = 0): this { return this.simd(0x0b).memarg(ALIGN_V128, offset); }
  v128Zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of (first ‖ second), lanes in 0..31. */
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !(l >= 0 && l < 32))) {
      throw new RangeError(`bad shuffle lanes ${lanes.join(',')}`);
    }
    this.simd(0x0d);
    for (const l of lanes) this.code.push(l);
    return this;
  }
  /** The shuffle picking whole elements of `width` bytes: element i of the result is element picks[i]. */
  shuffleElements(width: 4 | 8, picks: readonly number[]): this {
    const lanes: number[] = [];
    for (const e of picks) for (let b = 0; b < width; b++) lanes.push(e * width + b);
    return this.i8x16Shuffle(lanes);
  }
  f32x4Splat(): this { return this.simd(0x13); }
  f64x2Splat(): this { return this.simd(0x14); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Mul(): this { return this.simd(0xf2); }

  /** The function's code-section entry: size-prefixed locals declaration and body. */
  encodeBody(): number[] {
    const body: number[] = [];
    // Locals are declared as runs of equal type; consecutive equal types share one run.
    const runs: Array<[number, ValType]> = [];
    for (const t of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    unsignedLeb(runs.length, body);
    for (const [count, t] of runs) {
      unsignedLeb(count, body);
      body.push(VALTYPE_CODE[t]);
    }
    for (const b of this.code) body.push(b);
    body.push(0x0b); // end of function
    const out: number[] = [];
    unsignedLeb(body.length, out);
    for (const b of body) out.push(b);
    return out;
  }
}

interface ExportedFunction {
  readonly name: string;
  readonly writer: FunctionWriter;
}

/**
 * A module with one memory (exported as `memory`) and a list of exported functions. Each
 * function gets its own type entry; duplicates are harmless and keep the writer simple.
 */
export class ModuleWriter {
  private readonly functions: ExportedFunction[] = [];

  constructor(private readonly initialPages: number) {}

  addFunction(name: string, writer: FunctionWriter): void {
    this.functions.push({ name, writer });
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, content: number[]): void => {
      out.push(id);
      unsignedLeb(content.length, out);
      for (const b of content) out.push(b);
    };

    const types: number[] = [];
    unsignedLeb(this.functions.length, types);
    for (const { writer } of this.functions) {
      types.push(0x60);
      unsignedLeb(writer.params.length, types);
      for (const p of writer.params) types.push(VALTYPE_CODE[p]);
      unsignedLeb(writer.results.length, types);
      for (const r of writer.results) types.push(VALTYPE_CODE[r]);
    }
    section(1, types);

    const funcs: number[] = [];
    unsignedLeb(this.functions.length, funcs);
    this.functions.forEach((_, i) => unsignedLeb(i, funcs));
    section(3, funcs);

    const memory: number[] = [1, 0x00]; // one memory, limits without maximum
    unsignedLeb(this.initialPages, memory);
    section(5, memory);

    const exports: number[] = [];
    unsignedLeb(this.functions.length + 1, exports);
    encodeName('memory', exports);
    exports.push(0x02, 0x00);
    this.functions.forEach(({ name }, i) => {
      encodeName(name, exports);
      exports.push(0x00);
      unsignedLeb(i, exports);
    });
    section(7, exports);

    const code: number[] = [];
    unsignedLeb(this.functions.length, code);
    for (const { writer } of this.functions) for (const b of writer.encodeBody()) code.push(b);
    section(10, code);

    return new Uint8Array(out);
  }
}
