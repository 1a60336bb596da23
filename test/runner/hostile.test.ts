import assert from 'node:assert/strict';
import path from 'node:path';
import { runScript, type RunResult } from '../../src/runner/runScript';
import { build, locate, scripts, tutorialScript as normal, workerPath } from './support';

const hostile = (name: string): string => path.join(scripts, 'hostile', `${name}.ts`);

interface Case {
  name: string;
  options?: Parameters<typeof runScript>[1];
  status: RunResult['status'];
  message: RegExp;
  /** Text on the line the error must point at (found in the fixture, not hard-coded numbers). */
  line: string | null;
  snapshot: 'present' | 'absent';
  check?(r: RunResult): void;
}

const cases: Case[] = [
  {
    name: 'infiniteLoop', options: { timeoutMs: 3000 }, status: 'timeout', message: /did not finish within 3000 ms/,
    line: 'while (x.numel() > 0)', snapshot: 'absent',
    check: (r) => assert.match(r.logs[0].text, /before the loop/),
  },
  {
    name: 'unboundedAllocation', options: { maxMemoryMb: 256, timeoutMs: 60_000 }, status: 'oom', message: /out of memory \(limit 256 MB\)/,
    line: 'kept.push(torch.ones(1024, 1024))', snapshot: 'absent',
  },
  {
    name: 'unboundedHeap', options: { maxMemoryMb: 256, timeoutMs: 60_000 }, status: 'oom', message: /out of memory/,
    line: 'kept.push(new Array', snapshot: 'absent',
  },
  {
    name: 'deepRecursion', status: 'error', message: /^Maximum call stack size exceeded$/, line: 'return depth(t, n + 1) + 1;', snapshot: 'present',
    check: (r) => {
      assert.equal(r.error!.name, 'RangeError');
      assert.match(r.error!.stack!, /\[previous line repeated \d+ more times\]/);
    },
  },
  {
    name: 'syntaxError', status: 'error', message: /Expected "\)" but found ";"/, line: 'const y = x.add(1;', snapshot: 'absent',
    check: (r) => assert.equal(r.error!.kind, 'compile'),
  },
  {
    name: 'typeStrippingError', status: 'error', message: /Unexpected "="/, line: 'const cache: Map<string, = new Map();', snapshot: 'absent',
    check: (r) => assert.equal(r.error!.kind, 'compile'),
  },
  {
    name: 'throwTopLevel', status: 'error', message: /^deliberate failure after building a graph$/, line: "throw new Error('deliberate", snapshot: 'present',
    check: (r) => assert.ok(r.snapshot!.nodes.some((n) => n.label === 'SumBackward0'), 'the graph up to the failure'),
  },
  {
    name: 'throwInHook', status: 'error', message: /^hook rejected a gradient of shape 3$/, line: 'throw new Error(`hook rejected', snapshot: 'present',
    check: (r) => assert.match(r.error!.stack!, /throwInHook\.ts:\d+:\d+[\s\S]*throwInHook\.ts:\d+:\d+/, 'the hook and the backward() call'),
  },
  {
    name: 'throwInBackward', status: 'error', message: /^Mismatch in shape: grad_output\[0\] has a shape of torch\.Size\(\[2\]\) and output\[0\] has a shape of torch\.Size\(\[3\]\)\.$/,
    line: 'pred.backward(torch.ones(2));', snapshot: 'present',
    check: (r) => assert.equal(r.error!.pyType, 'RuntimeError'),
  },
  {
    name: 'processExit', status: 'error', message: /^process\.exit\(3\) called$/, line: 'process.exit(3);', snapshot: 'present',
    check: (r) => {
      assert.equal(r.error!.kind, 'exit');
      assert.deepEqual(r.logs.map((l) => l.text), ['exiting'], 'nothing after exit runs');
    },
  },
  {
    name: 'unhandledRejection', status: 'error', message: /^Unhandled promise rejection: dataset not found$/, line: "throw new Error('dataset not found')", snapshot: 'present',
  },
  {
    name: 'pendingTimers', options: { timeoutMs: 5000 }, status: 'timeout', message: /still pending: setInterval at pendingTimers\.ts:\d+:\d+/,
    line: 'setInterval(() => {', snapshot: 'present',
    check: (r) => assert.ok(r.snapshot!.nodes.some((n) => n.grad !== null), 'the graph, with its gradients'),
  },
  {
    name: 'htmlInNames', status: 'ok', message: /.*/, line: null, snapshot: 'present',
    check: (r) => {
      const evil = '<img src=x onerror=alert(1)>';
      const w = r.snapshot!.nodes.find((n) => n.kind === 'leaf')!;
      assert.equal(w.varName, evil, 'carried verbatim as data (escaping is the viewer\'s job)');
      assert.equal(w.label, evil);
      assert.deepEqual(r.logs.map((l) => [l.level, l.text]), [['log', `${evil} tensor(4., grad_fn=<SumBackward0>)`], ['warn', evil]]);
    },
  },
];

describe('hostile scripts', function () {
  this.timeout(120_000);
  before(() => build('worker'));

  for (const c of cases) {
    it(`${c.name}: ${c.status}${c.line ? ' at the right line' : ''}, then a normal run succeeds`, async () => {
      const file = hostile(c.name);
      const r = await runScript(file, { workerPath, ...c.options });
      assert.equal(r.status, c.status, JSON.stringify(r.error));
      if (c.status !== 'ok') {
        assert.ok(r.error, 'an error is reported');
        assert.match(r.error.message, c.message);
      }
      if (c.line !== null) {
        assert.ok(r.error?.location, `no location: ${JSON.stringify(r.error)}`);
        assert.equal(r.error.location.file, file);
        assert.equal(r.error.location.line, locate(file, c.line).line, JSON.stringify(r.error));
      }
      assert.equal(r.snapshot !== null, c.snapshot === 'present');
      c.check?.(r);
      const after = await runScript(normal, { workerPath });
      assert.equal(after.status, 'ok', JSON.stringify(after.error));
      assert.ok(after.snapshot && after.snapshot.nodes.length > 0);
    });
  }
});
