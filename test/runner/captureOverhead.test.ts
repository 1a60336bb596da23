/**
 * Measures what the capture costs on the performance issue's workload (10,000 tiny ops and a
 * backward through them) and reports it. Not a timed test: the numbers depend on the machine and
 * its load; the assertions only check that both runs did the work.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { runScript, type RunTimings } from '../../src/runner/runScript';
import { build, scripts, workerPath } from './support';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

describe('capture overhead (measured, reported)', function () {
  this.timeout(600_000);
  before(() => build('worker'));

  it('10,000 tiny ops + backward, capture on vs off', async () => {
    const file = path.join(scripts, 'perf/tinyOps.ts');
    const rounds = Number(process.env.GRADSCOPE_OVERHEAD_ROUNDS ?? 5);
    const samples: Record<'off' | 'on', RunTimings[]> = { off: [], on: [] };
    for (let i = 0; i < rounds; i++) {
      for (const mode of ['off', 'on'] as const) {
        const r = await runScript(file, { workerPath, capture: mode === 'on' });
        assert.equal(r.status, 'ok', JSON.stringify(r.error));
        assert.equal(r.snapshot !== null, mode === 'on');
        samples[mode].push(r.timings);
      }
    }
    const cpu = (m: 'off' | 'on') => median(samples[m].map((t) => t.scriptCpuMs));
    const wall = (m: 'off' | 'on') => median(samples[m].map((t) => t.scriptMs));
    const snapshot = median(samples.on.map((t) => t.snapshotMs));
    const report = `capture overhead, median of ${rounds} cold runs: CPU ${cpu('off').toFixed(0)} ms off, ${cpu('on').toFixed(0)} ms on `
      + `(×${(cpu('on') / cpu('off')).toFixed(2)}); wall ${wall('off').toFixed(0)} / ${wall('on').toFixed(0)} ms `
      + `(×${(wall('on') / wall('off')).toFixed(2)}); building the snapshot ${snapshot.toFixed(0)} ms`;
    console.log(`      ${report}`);
    assert.ok(cpu('off') > 0 && cpu('on') > 0);
  });
});
