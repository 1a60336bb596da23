/** The graph capture on its own, in-process: the library's events in, records and snapshots out. */
import assert from 'node:assert/strict';
import * as torch from '../../../src/lib/index';
import { copyTensor, statsOfCopy, tensorDataOf, textOf } from '../../../src/runner/capture/tensorCopy';
import type { CaptureLimits } from '../../../src/protocol/messages';
import type { GraphSnapshot, SourceLocation } from '../../../src/protocol/snapshot';
import { captureRun } from './captureHarness';

const file = '/virtual/script.ts';
const sites: SourceLocation[] = Array.from({ length: 8 }, (_, i) => ({ file, line: i + 1, column: 1 }));

/** Runs `body` under a fresh capture; `at(site)` plays the instrumented code's register. */
function capture(body: (at: (site: number) => void) => void, limits: Partial<CaptureLimits> = {}): GraphSnapshot {
  return captureRun({ file, sites, limits }, (s) => body(s.at));
}

describe('graph capture', () => {
  describe('tensor copies', () => {
    it('print a tensor too big to keep exactly as PyTorch summarises it', () => {
      for (const shape of [[5000], [40, 50], [3, 30, 20], [2, 3, 300]]) {
        const t = torch.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape).to('float32').mul(0.37);
        const c = copyTensor(t, 100);
        assert.equal(c.kept, 100);
        assert.equal(textOf(c), t.toString(), `shape ${shape}`);
        const data = tensorDataOf(c, 100);
        assert.equal(data.truncated, true);
        assert.equal(data.values.length, 100);
      }
    });

    it('copy strided views (transposes, permutes, slices) as their contiguous clones', () => {
      const base = torch.arange(6000).to('float32').mul(0.37).reshape([20, 30, 10]);
      const views = [base.transpose(0, 1), base.permute([2, 0, 1]), base.narrow(1, 3, 20), base.transpose(1, 2).narrow(0, 1, 5), base.select(2, 4)];
      for (const v of views) {
        const clone = v.contiguous();
        for (const limit of [1, 100, 1e6]) {
          const { stats, ...data } = tensorDataOf(copyTensor(v, limit), limit);
          const { stats: expectedStats, ...expected } = tensorDataOf(copyTensor(clone, limit), limit);
          assert.deepEqual(data, expected, `shape ${v.shape} limit ${limit}`);
          // Summed in storage order rather than the view's: equal up to rounding.
          for (const k of ['min', 'max', 'mean', 'std', 'norm', 'nanCount', 'infCount'] as const) {
            assert.ok(Math.abs(stats![k] - expectedStats![k]) <= 1e-12 * Math.abs(expectedStats![k]), `${k} of shape ${v.shape}`);
          }
          // (A partial copy of a tensor PyTorch prints whole prints summarised: see textOf.)
          if (limit >= v.numel() || v.numel() > 1000) assert.equal(data.text, v.toString());
        }
      }
    });

    it('statistics of a big tensor: one pass that keeps the deviation when |mean| >> std', () => {
      const values = Array.from({ length: 3000 }, (_, i) => 1e6 + (i % 7) - 3 + (i === 5 ? NaN : 0));
      const t = torch.tensor(values, { dtype: torch.float64 });
      const stats = statsOfCopy(copyTensor(t, 10))!;
      const finite = values.filter((v) => !Number.isNaN(v));
      const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
      const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1));
      assert.equal(stats.nanCount, 1);
      assert.ok(Math.abs(stats.mean - mean) < 1e-9, `${stats.mean} vs ${mean}`);
      assert.ok(Math.abs(stats.std - std) < 1e-9, `${stats.std} vs ${std}`);
      assert.equal(stats.min, 1e6 - 3);
      assert.equal(stats.max, 1e6 + 3);
    });

    it('keep whole-tensor statistics for partial copies', () => {
      const t = torch.tensor([1, 2, NaN, Infinity, 3, 4, 5, 6]);
      const stats = statsOfCopy(copyTensor(t, 3))!;
      assert.equal(stats.min, 1);
      assert.equal(stats.max, 6);
      assert.equal(stats.mean, 3.5);
      assert.equal(stats.nanCount, 1);
      assert.equal(stats.infCount, 1);
      // Sample standard deviation of the finite values 1..6, as torch.tensor([1., ..., 6.]).std().
      assert.ok(Math.abs(stats.std - torch.tensor([1, 2, 3, 4, 5, 6]).to('float32').std().item()) < 1e-6, `${stats.std}`);
      assert.equal(stats.norm, Math.hypot(1, 2, 3, 4, 5, 6));
    });

    it('copy, not alias: later in-place changes do not show', () => {
      const t = torch.ones(3);
      const c = copyTensor(t, 10);
      t.mul_(5);
      assert.deepEqual(tensorDataOf(c, 10).values, [1, 1, 1]);
      const s = copyTensor(torch.tensor(2.5), 10);
      assert.equal(textOf(s), 'tensor(2.5000)');
    });
  });

  it('keys nodes by call site and occurrence, so a training loop is one graph', () => {
    const s = capture((at) => {
      at(0); const w = torch.zeros(2, { requiresGrad: true });
      for (let i = 0; i < 5; i++) {
        at(1); const h = w.mul(2);
        at(2); const h2 = h.mul(3); // a second op at another site
        at(3); const loss = h2.sum();
        at(4); loss.backward();
      }
    });
    assert.deepEqual(s.nodes.map((n) => n.label).sort(), ['MulBackward0', 'MulBackward0', 'SumBackward0', 'tensor']);
    assert.equal(s.iterations!.count, 5);
    assert.equal(s.nodes.find((n) => n.kind === 'leaf')!.grad!.values[0], 6 * 5, 'w.grad accumulated over five passes');
  });

  it('keeps a constant\'s copy while it is unchanged and copies it again after an in-place write', () => {
    const s = capture((at) => {
      at(0); const data = torch.ones(3);
      at(1); const w = torch.ones(3, { requiresGrad: true });
      for (let i = 0; i < 3; i++) {
        if (i === 2) { at(2); data.mul_(5); }
        at(3); w.mul(data).sum().backward();
      }
    });
    const data = s.nodes.find((n) => n.kind === 'constant' && n.op === 'ones')!;
    const frames = s.iterations!.frames;
    assert.deepEqual(frames.map((f) => f.values[data.id]?.values), [[1, 1, 1], [1, 1, 1], [5, 5, 5]]);
    assert.deepEqual(data.tensor.values, [5, 5, 5]);
  });

  it('keeps each iteration\'s own values in its frame while copies of dead iterations are reused', () => {
    const n = 50;
    const iterations = 7;
    const s = capture((at) => {
      at(0); const w = torch.zeros(n, { requiresGrad: true });
      for (let k = 0; k < iterations; k++) {
        at(1); const h = w.add(k); // values k (w stays zero)
        at(2); const loss = h.mul(h).sum(); // d loss / d h = 2h
        at(3); loss.backward();
        at(4); w.grad = null;
      }
    }, { iterationWindow: 3 });
    const add = s.nodes.find((node) => node.label === 'AddBackward0')!;
    const mul = s.nodes.find((node) => node.label === 'MulBackward0')!;
    const frames = s.iterations!.frames;
    assert.deepEqual(frames.map((f) => f.iteration), [4, 5, 6]);
    for (const f of frames) {
      const k = f.iteration;
      assert.deepEqual(f.values[add.id].values, new Array(n).fill(k), `value of h in iteration ${k}`);
      assert.deepEqual(f.values[mul.id].values, new Array(n).fill(k * k), `value of h*h in iteration ${k}`);
      assert.deepEqual(f.grads[add.id]?.values, new Array(n).fill(2 * k), `gradient of h in iteration ${k}`);
    }
    const sum = s.nodes.find((node) => node.label === 'SumBackward0')!;
    for (const f of frames) assert.deepEqual(f.values[sum.id].values, [n * f.iteration * f.iteration], 'the loss of each iteration');
    const series = s.iterations!.series[add.id];
    assert.deepEqual(series.valueMean, Array.from({ length: iterations }, (_, k) => k));
    assert.deepEqual(series.gradNorm.map((g) => Math.round(g * 1e6) / 1e6), Array.from({ length: iterations }, (_, k) => Math.round(2 * k * Math.sqrt(n) * 1e6) / 1e6));
  });

  it('drops the least recently used nodes beyond maxNodes and keeps used leaves', () => {
    const s = capture((at) => {
      at(0); const w = torch.tensor(1.5, { requiresGrad: true });
      let y = w;
      for (let i = 0; i < 300; i++) { at(1); y = y.mul(w); }
      at(2); y.backward();
    }, { maxNodes: 50 });
    assert.ok(s.nodes.length <= 50);
    assert.ok(s.nodes.some((n) => n.kind === 'leaf'), 'w is used by every op: it stays');
    assert.equal(s.truncation!.droppedNodes, 301 - s.nodes.length);
    const kept = new Set(s.nodes.map((n) => n.id));
    assert.ok(s.edges.every((e) => kept.has(e.source) && kept.has(e.target)));
  });

  it('holds the snapshot to its value budget, keeping text and statistics', () => {
    const s = capture((at) => {
      at(0); const a = torch.ones(100, { requiresGrad: true });
      at(1); const b = a.mul(2);
      at(2); b.sum().backward();
    }, { maxSnapshotValues: 150 });
    const counted = s.nodes.reduce((n, node) => n + node.tensor.values.length + (node.grad?.values.length ?? 0)
      + node.saved.reduce((m, x) => m + x.tensor.values.length, 0), 0) + s.edges.reduce((n, e) => n + (e.grad?.values.length ?? 0), 0);
    assert.ok(counted <= 150, `${counted} values`);
    for (const n of s.nodes) {
      assert.ok(n.tensor.text.startsWith('tensor('));
      assert.ok(n.tensor.stats);
    }
    assert.ok(s.nodes.some((n) => n.tensor.truncated));
  });

  it('wires an in-place op to the node that made its input, with the values before and after', () => {
    const s = capture((at) => {
      at(0); const w = torch.ones(2, { requiresGrad: true });
      at(1); const y = w.mul(2);
      at(2); y.add_(1);
      at(3); y.sum().backward();
    });
    const mul = s.nodes.find((n) => n.label === 'MulBackward0')!;
    const add = s.nodes.find((n) => n.op === 'add_')!;
    const into = s.edges.filter((e) => e.target === add.id);
    assert.deepEqual(into.map((e) => e.source), [mul.id], 'no edge from the node to itself');
    assert.deepEqual(mul.tensor.values, [2, 2], 'the value when mul ran');
    assert.deepEqual(add.tensor.values, [3, 3]);
  });

  it('records scopes of composite ops and Python numbers as attributes', () => {
    const s = capture((at) => {
      at(0); const x = torch.ones(3);
      at(1); const w = torch.ones(3, 2, { requiresGrad: true });
      at(2); torch.matmul(x, w).mul(0.5).sum().backward();
    });
    const mm = s.nodes.find((n) => n.label === 'MmBackward0')!;
    assert.deepEqual(mm.scope, ['matmul']);
    const mul = s.nodes.find((n) => n.label === 'MulBackward0')!;
    assert.equal(mul.attrs!['input 1'], 0.5);
    assert.ok(!s.nodes.some((n) => n.kind === 'constant' && n.tensor.shape.length === 0));
  });
});
