import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTensor, type PrintableTensor } from '../../../src/lib/print/formatTensor';
import { StepEvaluator, type Step } from './literalSteps';

const ORACLE_DIR = process.env.GRADSCOPE_ORACLE_DIR ?? '/work/shared/oracle';

/** One case of print.json (README §5). */
interface PrintCase {
  id: string;
  steps: Step[];
  target: string;
  /** exact `str(target)` */
  str?: string;
  /** `str(target.grad_fn)` cases: the address between prefix and suffix varies */
  what?: string;
  str_prefix?: string;
  str_suffix?: string;
}

function loadCases(): PrintCase[] {
  return JSON.parse(readFileSync(join(ORACLE_DIR, 'print.json'), 'utf8')) as PrintCase[];
}

function checkCase(c: PrintCase): void {
  const evaluator = new StepEvaluator();
  evaluator.run(c.steps);
  const target = evaluator.tensor(c.target);
  if (c.what === 'str(target.grad_fn)') {
    // The lead prints `<Name object at 0x...>`; here only the name and our suffix for it.
    const name = /^<(\w+) object at 0x$/.exec(c.str_prefix ?? '')?.[1];
    assert.ok(name, `unexpected str_prefix ${c.str_prefix}`);
    assert.equal(c.str_suffix, '>');
    assert.equal(target.gradFnName, name);
    assert.ok(formatTensor(target).endsWith(`, grad_fn=<${name}>)`), formatTensor(target));
    return;
  }
  assert.equal(typeof c.str, 'string', `case ${c.id} has neither str nor a known "what"`);
  assert.equal(formatTensor(target), c.str);
}

describe('formatTensor: every case of print.json', () => {
  const cases = loadCases();
  let passed = 0;
  let failed = 0;

  it('has cases', () => assert.ok(cases.length > 0));

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

  after(() => console.log(`print: ${passed} passed, ${failed} failed`));
});

describe('formatTensor: large tensors', () => {
  function randomTensor(shape: number[]): { tensor: PrintableTensor; reads: () => number } {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.sin(i) * 3;
    let reads = 0;
    const tensor: PrintableTensor = {
      dtype: 'float32', shape, requiresGrad: false, gradFnName: null,
      get: (i) => { reads++; return data[i]; },
    };
    return { tensor, reads: () => reads };
  }

  it('summarises a 1,000,000-element tensor reading only the edge items, well under 50 ms', () => {
    for (const shape of [[1_000_000], [1000, 1000], [100, 100, 100]]) {
      const { tensor, reads } = randomTensor(shape);
      formatTensor(tensor); // warm-up (JIT)
      const before = reads();
      const start = performance.now();
      const text = formatTensor(tensor);
      const elapsed = performance.now() - start;
      assert.ok(text.includes('...'), text);
      assert.ok(reads() - before <= 2 * 6 ** shape.length, `read ${reads() - before} elements`);
      assert.ok(elapsed < 50, `took ${elapsed.toFixed(1)} ms`);
    }
  });
});
