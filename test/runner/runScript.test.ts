import assert from 'node:assert/strict';
import path from 'node:path';
import { runScript, ScriptRunner } from '../../src/runner/runScript';
import type { GraphNode, GraphSnapshot } from '../../src/protocol/snapshot';
import { parseGraphSnapshot } from '../../src/protocol/messages';
import { build, locate, oracleProgram, scripts, tutorialScript as tutorial, workerPath } from './support';

function byLabel(s: GraphSnapshot, label: string): GraphNode[] {
  return s.nodes.filter((n) => n.label === label);
}

describe('runScript', function () {
  this.timeout(120_000);
  before(() => build('worker'));

  describe('the autograd tutorial', () => {
    let snapshot: GraphSnapshot;
    let logs: string[];
    before(async () => {
      const result = await runScript(tutorial, { workerPath });
      assert.equal(result.status, 'ok', JSON.stringify(result.error));
      assert.ok(result.snapshot);
      snapshot = result.snapshot;
      logs = result.logs.map((l) => l.text);
    });

    it('produces a valid snapshot', () => {
      const parsed = parseGraphSnapshot(snapshot);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.equal(snapshot.file, tutorial);
    });

    it('has PyTorch\'s backward nodes, at the calls that made them', () => {
      const matmul = locate(tutorial, 'matmul(x, w).add(b)');
      const add = locate(tutorial, 'add(b)');
      const bce = locate(tutorial, 'binaryCrossEntropyWithLogits(z, y)');
      const expectations: [string, { line: number; column: number }][] = [
        ['MmBackward0', matmul], ['SqueezeBackward4', matmul], ['AddBackward0', add], ['BinaryCrossEntropyWithLogitsBackward0', bce],
      ];
      for (const [label, at] of expectations) {
        const first = byLabel(snapshot, label).sort((a, b) => a.location!.line - b.location!.line)[0];
        assert.ok(first, `no ${label}`);
        assert.equal(first.kind, 'op');
        assert.deepEqual({ line: first.location!.line, column: first.location!.column }, at, label);
        assert.ok(first.location!.endColumn! > first.location!.column, `${label} has an end`);
      }
      const mm = byLabel(snapshot, 'MmBackward0')[0];
      assert.equal(mm.op, 'mm');
      assert.deepEqual(mm.scope, ['matmul'], 'matmul is a composite: its ops are in its scope');
      const addNode = byLabel(snapshot, 'AddBackward0').find((n) => n.location!.line === add.line)!;
      assert.equal(addNode.location!.endColumn, add.column + 'add(b)'.length);
    });

    it('has the leaves w and b with their gradients and the constants x and y', () => {
      const oracle = oracleProgram('tutorial/autograd_printed_output');
      const w = snapshot.nodes.find((n) => n.varName === 'w')!;
      const b = snapshot.nodes.find((n) => n.varName === 'b')!;
      for (const leaf of [w, b]) {
        assert.equal(leaf.kind, 'leaf');
        assert.equal(leaf.isLeaf, true);
        assert.equal(leaf.requiresGrad, true);
        assert.equal(leaf.op, 'randn');
        assert.ok(leaf.grad);
      }
      assert.deepEqual(w.tensor.shape, [5, 3]);
      assert.equal(w.location!.line, locate(tutorial, 'const w =').line);
      assert.equal(w.location!.column, locate(tutorial, 'randn(5, 3').column);
      const expected = oracle.results.w_grad.data;
      // w.grad is what it is after the first backward (the later passes are on another graph).
      w.grad!.values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `w.grad[${i}] = ${v}, PyTorch ${expected[i]}`));
      assert.ok(Math.abs(w.grad!.values[0] - 0.2661) < 1e-4);
      assert.match(w.grad!.text, /^tensor\(\[\[0\.2661, 0\.1179, 0\.0027\],/);
      const x = snapshot.nodes.find((n) => n.varName === 'x')!;
      const y = snapshot.nodes.find((n) => n.varName === 'y')!;
      assert.equal(x.kind, 'constant');
      assert.equal(y.kind, 'constant');
      assert.deepEqual(x.tensor.values, [1, 1, 1, 1, 1]);
      assert.equal(x.tensor.text, 'tensor([1., 1., 1., 1., 1.])');
      assert.equal(x.location!.line, locate(tutorial, 'const x =').line);
      assert.ok(!snapshot.nodes.some((n) => n.kind === 'constant' && n.varName === null && n.tensor.shape.length === 0),
        'Python numbers (inp.add(1)) are attributes, not nodes');
      const addOne = snapshot.nodes.find((n) => n.label === 'AddBackward0' && n.attrs?.['input 1'] === 1);
      assert.ok(addOne, 'inp.add(1) keeps its 1');
    });

    it('wires the graph: x and w into mm, mm into squeeze, squeeze and b into add, add and y into the loss', () => {
      const first = (label: string) => byLabel(snapshot, label).sort((a, b) => a.location!.line - b.location!.line)[0];
      const id = (varName: string) => snapshot.nodes.find((n) => n.varName === varName)!.id;
      const mm = first('MmBackward0');
      const squeeze = first('SqueezeBackward4');
      const add = first('AddBackward0');
      const loss = first('BinaryCrossEntropyWithLogitsBackward0');
      const inputs = (target: GraphNode) => snapshot.edges.filter((e) => e.target === target.id)
        .sort((a, b) => a.inputIndex - b.inputIndex).map((e) => e.source);
      assert.deepEqual(inputs(mm), [id('x'), id('w')]);
      assert.deepEqual(inputs(squeeze), [mm.id]);
      assert.deepEqual(inputs(add), [squeeze.id, id('b')]);
      assert.deepEqual(inputs(loss), [add.id, id('y')]);
      const wEdge = snapshot.edges.find((e) => e.source === id('w') && e.target === mm.id)!;
      assert.deepEqual(wEdge.grad!.values, snapshot.nodes.find((n) => n.varName === 'w')!.grad!.values,
        'the gradient along w\'s only edge is w.grad');
      assert.equal(snapshot.edges.find((e) => e.source === id('y'))!.grad, null, 'no gradient flows to a target');
      assert.ok(snapshot.roots.includes(loss.id));
      assert.equal(loss.isRoot, true);
      assert.deepEqual(loss.grad!.values, [1]);
    });

    it('records the backward order as PyTorch runs it', () => {
      // PyTorch: the loss's node, AddBackward0, then b's AccumulateGrad (leaves first among the
      // ready nodes), SqueezeBackward4, MmBackward0, w's AccumulateGrad.
      const order = snapshot.nodes.filter((n) => n.backwardOrder !== null && n.backwardOrder < 6)
        .sort((a, b) => a.backwardOrder! - b.backwardOrder!)
        .map((n) => (n.kind === 'leaf' ? `AccumulateGrad(${n.varName})` : n.label));
      assert.deepEqual(order, ['BinaryCrossEntropyWithLogitsBackward0', 'AddBackward0', 'AccumulateGrad(b)',
        'SqueezeBackward4', 'MmBackward0', 'AccumulateGrad(w)']);
    });

    it('binds the variables at their lines, with counts', () => {
      const bindings = new Map(snapshot.bindings.map((b) => [`${b.name}@${b.location.line}`, b]));
      for (const name of ['w', 'b', 'loss', 'x', 'y', 'zDet', 'inp', 'out']) {
        const at = locate(tutorial, `const ${name} =`);
        const b = bindings.get(`${name}@${at.line}`);
        assert.ok(b, `no binding ${name} at line ${at.line}`);
        assert.equal(b.location.column, at.column + 'const '.length);
        assert.equal(b.count, 1);
        assert.equal(snapshot.nodes.find((n) => n.id === b.nodeId)!.varName, name);
      }
      // `let z` is assigned four times: one binding per assignment site.
      const zs = snapshot.bindings.filter((b) => b.name === 'z');
      assert.equal(zs.length, 4);
      const noGrad = zs.find((b) => b.location.line === locate(tutorial, 'z = torch.noGrad').line)!;
      const node = snapshot.nodes.find((n) => n.id === noGrad.nodeId)!;
      assert.equal(node.requiresGrad, false, 'the no-grad z is a constant');
    });

    it('records saved tensors, rules and values', () => {
      const mm = byLabel(snapshot, 'MmBackward0')[0];
      assert.ok(mm.saved.length > 0, 'mm saves its inputs');
      assert.ok(mm.rule === null || typeof mm.rule === 'string');
      const loss = byLabel(snapshot, 'BinaryCrossEntropyWithLogitsBackward0')[0];
      assert.deepEqual(loss.tensor.shape, []);
      assert.ok(loss.tensor.stats);
      assert.match(loss.tensor.text, /^tensor\(0\.\d{4}\)$/);
    });

    it('forwards the script\'s console output with the printing call\'s line', () => {
      const program = oracleProgram('tutorial/autograd_printed_output');
      assert.equal(logs[2], program.stdout.split('\n').slice(2, 7).join('\n'), 'w.grad prints as in PyTorch');
      assert.match(logs[0], /^Gradient function for z = <AddBackward0 object at 0x[0-9a-f]+>$/);
    });

    it('has one iteration per backward pass (four here)', () => {
      assert.ok(snapshot.iterations);
      assert.equal(snapshot.iterations.count, 4);
    });
  });

  it('binds names in loops, destructuring, members and class fields', async () => {
    const file = path.join(scripts, 'bindings.ts');
    const r = await runScript(file, { workerPath });
    assert.equal(r.status, 'ok', JSON.stringify(r.error));
    const s = r.snapshot!;
    const acc = s.bindings.filter((b) => b.name === 'acc');
    const inLoop = acc.find((b) => b.location.line === locate(file, 'acc = acc.add(a)').line)!;
    assert.equal(inLoop.count, 4, 'reassigned four times');
    const lastAcc = s.nodes.find((n) => n.id === inLoop.nodeId)!;
    assert.equal(lastAcc.label, 'AddBackward0');
    assert.deepEqual(lastAcc.tensor.values, [5, 5, 5]);
    for (const name of ['first', 'second', 'piece', 'holder.weight', 'this.bias', 'total']) {
      assert.ok(s.bindings.some((b) => b.name === name), `no binding ${name}: ${s.bindings.map((b) => b.name).join(', ')}`);
    }
    assert.equal(s.bindings.find((b) => b.name === 'piece')!.count, 2);
    const bias = s.nodes.find((n) => n.varName === 'this.bias')!;
    assert.equal(bias.kind, 'leaf');
  });

  describe('training loops', () => {
    it('map every iteration onto one graph and keep per-iteration data', async () => {
      const file = path.join(scripts, 'trainingLoopSmall.ts');
      const r = await runScript(file, { workerPath, limits: { iterationWindow: 3 } });
      assert.equal(r.status, 'ok', JSON.stringify(r.error));
      const s = r.snapshot!;
      const ops = s.nodes.filter((n) => n.kind === 'op');
      const labels = ops.map((n) => n.label).sort();
      assert.deepEqual(labels, [...new Set(labels)].sort(), `one node per op of the loop body: ${labels.join(', ')}`);
      assert.equal(s.nodes.filter((n) => n.varName === 'w').length, 1);
      const it = s.iterations!;
      assert.equal(it.count, 20);
      assert.deepEqual(it.window, [17, 18, 19]);
      assert.equal(it.frames.length, 3);
      const mean = ops.find((n) => n.label === 'MeanBackward0')!;
      const series = it.series[mean.id];
      assert.equal(series.iterations.length, 20);
      assert.ok(series.valueMean[19] < series.valueMean[0], 'the loss goes down');
      assert.equal(series.valueMean[19], mean.tensor.stats!.mean, 'the graph shows the last iteration');
      const lastFrame = it.frames[2];
      assert.deepEqual(lastFrame.values[mean.id].values, mean.tensor.values);
      const w = s.nodes.find((n) => n.varName === 'w')!;
      assert.ok(Number.isFinite(it.series[w.id].gradNorm[0]));
      assert.equal(s.truncation?.droppedIterations, 17);
    });

    it('stay bounded over 10,000 iterations', async function () {
      this.timeout(300_000);
      const file = path.join(scripts, 'perf/trainingLoop.ts');
      const sizes: number[] = [];
      for (const iterations of [200, 10_000]) {
        process.env.GRADSCOPE_ITERATIONS = String(iterations);
        const r = await runScript(file, { workerPath, maxMemoryMb: 512, timeoutMs: 240_000 });
        delete process.env.GRADSCOPE_ITERATIONS;
        assert.equal(r.status, 'ok', JSON.stringify(r.error));
        const s = r.snapshot!;
        assert.equal(s.iterations!.count, iterations);
        for (const series of Object.values(s.iterations!.series)) assert.ok(series.iterations.length <= 256);
        assert.ok(s.iterations!.frames.length <= 3);
        sizes.push(s.nodes.length, s.edges.length);
      }
      assert.deepEqual(sizes.slice(0, 2), sizes.slice(2), 'the graph does not grow with the iterations');
    });
  });

  it('keeps a bounded number of nodes of a huge graph and says what it dropped', async () => {
    process.env.GRADSCOPE_OPS = '100000';
    const r = await runScript(path.join(scripts, 'hugeGraph.ts'), { workerPath, limits: { maxNodes: 2000 } });
    delete process.env.GRADSCOPE_OPS;
    assert.equal(r.status, 'ok', JSON.stringify(r.error));
    const s = r.snapshot!;
    // maxNodes, plus the nodes of bound variables dropped earlier (x here): hover keeps working.
    assert.ok(s.nodes.length <= 2000 + s.bindings.length, `${s.nodes.length} nodes`);
    assert.ok(s.nodes.some((n) => n.varName === 'x' && n.kind === 'leaf'));
    assert.ok(s.truncation && s.truncation.droppedNodes >= 98_000, JSON.stringify(s.truncation));
    assert.match(s.truncation!.reason, /maxNodes/);
    assert.ok(parseGraphSnapshot(s).ok);
    assert.ok(s.nodes.some((n) => n.label === 'SumBackward0'), 'the newest nodes (the loss end) are kept');
  });

  it('ignores what the script posts on the worker\'s port itself', async () => {
    const r = await runScript(path.join(scripts, 'postsForgedMessages.ts'), { workerPath });
    assert.equal(r.status, 'ok');
    assert.deepEqual(r.logs.map((l) => l.text), ['done']);
    assert.ok(r.snapshot && r.snapshot.nodes.length > 0);
    assert.ok(r.diagnostics.some((d) => /another run/.test(d)), r.diagnostics.join('\n'));
    assert.ok(r.diagnostics.some((d) => /malformed/.test(d)), r.diagnostics.join('\n'));
  });

  describe('cancellation', () => {
    it('stops a run within a second of the signal', async () => {
      const controller = new AbortController();
      const pending = runScript(path.join(scripts, 'hostile/infiniteLoop.ts'), { workerPath, signal: controller.signal, timeoutMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const t0 = performance.now();
      controller.abort();
      const r = await pending;
      assert.ok(performance.now() - t0 < 1000, `took ${performance.now() - t0} ms`);
      assert.equal(r.status, 'cancelled');
      assert.equal(r.error?.kind, 'cancelled');
    });

    it('a new run of a ScriptRunner cancels the one in flight', async () => {
      const runner = new ScriptRunner();
      const first = runner.run(path.join(scripts, 'hostile/infiniteLoop.ts'), { workerPath, timeoutMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = runner.run(tutorial, { workerPath });
      assert.equal((await first).status, 'cancelled');
      const done = await second;
      assert.equal(done.status, 'ok');
      assert.notEqual(done.runId, (await first).runId);
      assert.equal(runner.running, false);
    });
  });
});
