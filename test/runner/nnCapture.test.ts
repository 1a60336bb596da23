/** nn modules through the real runner (instrumented script): parameter leaves and module scopes. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { runScript } from '../../src/runner/runScript';
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { build, locate, root, workerPath } from './support';

const spirals = path.join(root, 'examples/mlp-spirals.ts');

describe('runScript: nn modules', function () {
  this.timeout(120_000);
  let snapshot: GraphSnapshot;
  before(async () => {
    build('worker');
    const result = await runScript(spirals, { workerPath });
    assert.equal(result.status, 'ok', JSON.stringify(result.error));
    snapshot = result.snapshot!;
  });

  it('shows each parameter as a leaf named as PyTorch names it, at the nn.Linear call that made it', () => {
    const params = snapshot.nodes.filter((n) => n.kind === 'leaf');
    assert.deepEqual(params.map((n) => n.label).sort(), ['model.0.bias', 'model.0.weight', 'model.2.bias', 'model.2.weight']);
    const first = locate(spirals, 'Linear(2, 16)');
    const second = locate(spirals, 'Linear(16, 2)');
    for (const n of params) {
      const at = n.label.startsWith('model.0.') ? first : second;
      assert.equal(n.location?.file, spirals);
      assert.deepEqual([n.location?.line, n.location?.column], [at.line, at.column], n.label);
      assert.ok(n.location?.endColumn !== undefined && n.location.endColumn > at.column, 'spans the call');
    }
  });

  it('names the two Linear calls\' scopes apart and describes every scope in scopeInfo', () => {
    const scopeNames = new Set(snapshot.nodes.flatMap((n) => n.scope));
    assert.ok(scopeNames.has('Linear[0]') && scopeNames.has('Linear[2]'));
    assert.ok(scopeNames.has('linear') && scopeNames.has('linear#2'), 'two calls of F.linear are two boxes');
    assert.deepEqual(Object.keys(snapshot.scopeInfo ?? {}).sort(), [...scopeNames].sort());
    assert.equal(snapshot.scopeInfo!.Sequential.kind, 'module');
    assert.equal(snapshot.scopeInfo!.crossEntropy.kind, 'composite');
  });
});
