/**
 * Replays every case of the oracle's rng.json (README §2) on a fresh Generator and compares
 * the bit pattern of every output element with PyTorch's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Generator } from '../../../src/lib/random/generator';
import { calculateFanInAndFanOut, dropoutMask, kaimingUniformBound, linearBiasBound } from '../../../src/lib/random/init';

const REPO_ROOT = resolve(__dirname, '../../..');
const ORACLE_DIR = process.env.GRADSCOPE_ORACLE_DIR ?? resolve(REPO_ROOT, '../shared/oracle');

interface OracleTensor {
  dtype: 'float32' | 'float64' | 'int64' | 'bool';
  shape: number[];
  data: Array<number | string | boolean>;
  bits?: string[];
}

interface RngCall {
  fn: string;
  args: Record<string, unknown>;
  out: OracleTensor[];
}

interface RngCase {
  id: string;
  seed: number;
  note?: string;
  calls: RngCall[];
}

/** What our replay produced for one output tensor. */
type Produced = { dtype: 'float32'; shape: number[]; values: Float32Array } | { dtype: 'int64'; shape: number[]; values: Float64Array };

function loadCases(): RngCase[] {
  return JSON.parse(readFileSync(join(ORACLE_DIR, 'rng.json'), 'utf8')) as RngCase[];
}

function numelOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function argNumber(args: Record<string, unknown>, name: string): number {
  const v = args[name];
  if (typeof v !== 'number') throw new Error(`argument ${name} is not a number: ${JSON.stringify(v)}`);
  return v;
}

function argShape(args: Record<string, unknown>): number[] {
  const v = args.shape;
  if (!Array.isArray(v) || !v.every((d) => typeof d === 'number')) throw new Error(`bad shape ${JSON.stringify(v)}`);
  return v as number[];
}

function float32(shape: number[], fill: (out: Float32Array) => void): Produced {
  const values = new Float32Array(numelOf(shape));
  fill(values);
  return { dtype: 'float32', shape, values };
}

/** One call of a case, expressed with the Generator / init primitives. */
function replayCall(gen: Generator, fn: string, args: Record<string, unknown>): Produced[] {
  switch (fn) {
    case 'manual_seed':
      gen.manualSeed(argNumber(args, 'seed'));
      return [];
    case 'randn':
      return [float32(argShape(args), (o) => gen.fillNormal(o, 0, 1))];
    case 'rand':
      return [float32(argShape(args), (o) => gen.fillRand(o))];
    case 'normal':
    case 'normal_':
      return [float32(argShape(args), (o) => gen.fillNormal(o, argNumber(args, 'mean'), argNumber(args, 'std')))];
    case 'uniform_':
      return [float32(argShape(args), (o) => gen.fillUniform(o, argNumber(args, 'from'), argNumber(args, 'to')))];
    case 'bernoulli_':
      return [float32(argShape(args), (o) => gen.fillBernoulliScalar(o, argNumber(args, 'p')))];
    case 'bernoulli': {
      const shape = argShape(args);
      const p = new Float32Array(numelOf(shape)).fill(argNumber(args, 'p')); // torch.full(shape, p)
      return [float32(shape, (o) => gen.fillBernoulliTensor(o, p))];
    }
    case 'randint': {
      const shape = argShape(args);
      const values = new Float64Array(numelOf(shape));
      gen.fillRandint(values, argNumber(args, 'low'), argNumber(args, 'high'));
      return [{ dtype: 'int64', shape, values }];
    }
    case 'randperm': {
      const n = argNumber(args, 'n');
      return [{ dtype: 'int64', shape: [n], values: gen.randperm(n) }];
    }
    case 'kaiming_uniform_': {
      const shape = argShape(args);
      const bound = kaimingUniformBound(calculateFanInAndFanOut(shape).fanIn, argNumber(args, 'a'));
      return [float32(shape, (o) => gen.fillUniform(o, -bound, bound))];
    }
    case 'nn.Linear': {
      const inFeatures = argNumber(args, 'in_features');
      const outFeatures = argNumber(args, 'out_features');
      const weightBound = kaimingUniformBound(inFeatures, Math.sqrt(5));
      const outs = [float32([outFeatures, inFeatures], (o) => gen.fillUniform(o, -weightBound, weightBound))];
      if (args.bias !== false) {
        const biasBound = linearBiasBound(inFeatures);
        outs.push(float32([outFeatures], (o) => gen.fillUniform(o, -biasBound, biasBound)));
      }
      return outs;
    }
    case 'dropout': {
      const shape = argShape(args);
      const { mask, scale } = dropoutMask(gen, numelOf(shape), argNumber(args, 'p'));
      // dropout(ones): 1 * (mask * scale), both products in float32.
      return [float32(shape, (o) => o.forEach((_, i) => { o[i] = Math.fround(1 * Math.fround(mask[i] * scale)); }))];
    }
    default:
      throw new Error(`rng.json call "${fn}" is not supported by the replay`);
  }
}

function float32Bits(values: Float32Array): string[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length), (b) => b.toString(16).padStart(8, '0'));
}

/** Throws with a message naming the call and the first differing element. */
function compareOutput(where: string, got: Produced, expected: OracleTensor): void {
  assert.deepEqual(got.shape, expected.shape, `${where}: shape`);
  assert.equal(got.dtype, expected.dtype, `${where}: dtype`);
  if (got.dtype === 'float32') {
    assert.ok(expected.bits, `${where}: fixture has no bits`);
    const bits = float32Bits(got.values);
    const bad = bits.findIndex((b, i) => b !== expected.bits?.[i]);
    const mismatches = bits.filter((b, i) => b !== expected.bits?.[i]).length;
    assert.equal(bits.length, expected.bits.length, `${where}: element count`);
    assert.ok(bad < 0, `${where}: ${mismatches} of ${bits.length} elements differ; first at [${bad}]: got ${bits[bad]} (${got.values[bad]}), expected ${expected.bits[bad]} (${String(expected.data[bad])})`);
  } else {
    assert.deepEqual(Array.from(got.values), expected.data, `${where}: values`);
  }
}

function checkCase(c: RngCase): void {
  const gen = new Generator(c.seed);
  c.calls.forEach((call, k) => {
    const where = `call #${k} ${call.fn}(${JSON.stringify(call.args)})`;
    const produced = replayCall(gen, call.fn, call.args);
    assert.equal(produced.length, call.out.length, `${where}: number of outputs`);
    produced.forEach((p, i) => compareOutput(`${where} out[${i}]`, p, call.out[i]));
  });
}

describe('rng: PyTorch bit-exact replay of rng.json', () => {
  const cases = loadCases();
  let passed = 0;
  let failed = 0;

  it('has cases', () => assert.ok(cases.length > 0, `no cases in ${ORACLE_DIR}/rng.json`));

  for (const c of cases) {
    it(c.id, () => {
      try {
        checkCase(c);
        passed++;
      } catch (e) {
        failed++;
        throw e;
      }
    });
  }

  after(() => {
    console.log(`rng: ${passed} passed, ${failed} failed`);
  });
});
