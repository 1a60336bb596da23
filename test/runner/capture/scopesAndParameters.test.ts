/**
 * nn Parameters as named leaves at the line that made them, and scope names per call (stable over
 * a training loop), with the snapshot's scopeInfo — the capture on its own, in-process.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../src/lib/index';
import { inScope } from '../../../src/lib/capture/hooks';
import type { BindingSite } from '../../../src/protocol/messages';
import { captureRun, type ScriptActions } from './captureHarness';
import type { GraphNode, GraphSnapshot, SourceLocation } from '../../../src/protocol/snapshot';
import type { Tensor } from '../../../src/lib/tensor';

const file = '/virtual/script.ts';
const sites: SourceLocation[] = Array.from({ length: 8 }, (_, i) => ({ file, line: i + 1, column: 1 }));
const bindingNames = ['model', 'net', 'alias'];
const bindings: BindingSite[] = bindingNames.map((name, i) => ({ name, location: { file, line: 20 + i, column: 7 } }));

function capture(body: (s: ScriptActions) => void): GraphSnapshot {
  return captureRun({ file, sites, bindings }, body);
}

const leaves = (s: GraphSnapshot): GraphNode[] => s.nodes.filter((n) => n.kind === 'leaf');
const labels = (s: GraphSnapshot): string[] => leaves(s).map((n) => n.label).sort();

describe('graph capture: nn parameters', () => {
  it('names a Sequential\'s parameters as PyTorch does, after the variable, at the Linear\'s line', () => {
    const s = capture(({ at, bind }) => {
      at(1); const first = torch.nn.Linear(2, 3);
      at(2); const second = torch.nn.Linear(3, 1);
      at(3); const model = bind(torch.nn.Sequential(first, torch.nn.Tanh(), second), 0);
      at(4); const x = torch.ones(4, 2);
      at(5); model(x).sum().backward();
    });
    assert.deepEqual(labels(s), ['model.0.bias', 'model.0.weight', 'model.2.bias', 'model.2.weight']);
    for (const n of leaves(s)) {
      const line = n.label.startsWith('model.0.') ? 2 : 3;
      assert.equal(n.location?.line, line, `${n.label} is located at the nn.Linear call that made it`);
      assert.equal(n.op, 'Parameter');
      assert.ok(n.grad !== null, `${n.label} has its gradient`);
    }
  });

  it('names a bare Linear\'s parameters weight and bias, and a custom module\'s by attribute', () => {
    const bare = capture(({ at }) => {
      at(1); const fc = torch.nn.Linear(2, 2);
      at(2); fc(torch.ones(1, 2)).sum().backward();
    });
    assert.deepEqual(labels(bare), ['bias', 'weight']);

    class Net extends torch.nn.Module {
      fc1: torch.nn.Linear;
      scale: torch.nn.Parameter;
      constructor(at: (site: number) => void) {
        super();
        at(1); this.fc1 = torch.nn.Linear(2, 2);
        at(2); this.scale = torch.nn.Parameter(torch.ones(1));
      }
      override forward(x: Tensor): Tensor {
        return this.fc1(x).mul(this.scale);
      }
    }
    const custom = capture(({ at, bind }) => {
      const net = bind(new Net(at), 1);
      at(3); net(torch.ones(1, 2)).sum().backward();
    });
    assert.deepEqual(labels(custom), ['net.fc1.bias', 'net.fc1.weight', 'net.scale']);
    assert.equal(leaves(custom).find((n) => n.label === 'net.scale')!.location?.line, 3, 'nn.Parameter(...) is where the user made it');
  });

  it('prefixes with the outermost bound module, as its latest binding names it', () => {
    const s = capture(({ at, bind }) => {
      at(1); const inner = bind(torch.nn.Linear(2, 2), 1);
      at(2); const outer = bind(torch.nn.Sequential(inner), 0);
      bind(outer, 2);
      at(3); outer(torch.ones(1, 2)).sum().backward();
    });
    assert.deepEqual(labels(s), ['alias.0.bias', 'alias.0.weight']);
  });

  it('keeps one node per parameter over a training loop', () => {
    const s = capture(({ at, bind }) => {
      at(1); const model = bind(torch.nn.Sequential(torch.nn.Linear(2, 2)), 0);
      at(2); const opt = torch.optim.SGD(model.parameters(), { lr: 0.1 });
      for (let i = 0; i < 4; i++) {
        at(3); opt.zeroGrad();
        at(4); model(torch.ones(1, 2)).sum().backward();
        at(5); opt.step();
      }
    });
    assert.deepEqual(labels(s), ['model.0.bias', 'model.0.weight']);
    assert.equal(s.iterations!.count, 4);
  });
});

describe('graph capture: scopes per call', () => {
  /** Names of the scope paths in node order, deduplicated. */
  const paths = (s: GraphSnapshot): string[] => [...new Set(s.nodes.filter((n) => n.kind === 'op').map((n) => n.scope.join('/')))];

  it('gives each call of a module its own name, the same in every iteration', () => {
    const run = (iterations: number): GraphSnapshot => capture(({ at, bind }) => {
      at(1); const model = bind(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()), 0);
      at(2); const x = torch.ones(1, 2);
      for (let i = 0; i < iterations; i++) {
        at(3); const a = model(x);
        at(4); const b = model(a);
        at(5); a.add(b).sum().backward();
      }
    });
    const once = run(1);
    const thrice = run(3);
    assert.deepEqual(paths(once), [
      'Sequential/Linear[0]/linear', 'Sequential/ReLU[1]',
      'Sequential#2/Linear[0]#2/linear#2', 'Sequential#2/ReLU[1]#2', '',
    ]);
    assert.deepEqual(paths(thrice), paths(once), 'iteration k maps onto iteration 0\'s scopes');
    assert.equal(thrice.nodes.length, once.nodes.length, 'one graph across iterations');
    assert.equal(thrice.iterations!.count, 3);
    assert.deepEqual({ ...thrice.scopeInfo }, {
      Sequential: { kind: 'module', gradFn: null },
      'Sequential#2': { kind: 'module', gradFn: null },
      'Linear[0]': { kind: 'module', gradFn: null },
      'Linear[0]#2': { kind: 'module', gradFn: null },
      'ReLU[1]': { kind: 'module', gradFn: null },
      'ReLU[1]#2': { kind: 'module', gradFn: null },
      linear: { kind: 'composite', gradFn: null },
      'linear#2': { kind: 'composite', gradFn: null },
    });
  });

  it('separates two calls of a composite op and reports its fused backward', () => {
    const s = capture(({ at }) => {
      at(1); const w = torch.ones(3, { requiresGrad: true });
      at(2); const a = inScope('fused', 'composite', () => w.mul(2).add(1), 'FusedBackward0');
      at(3); const b = inScope('fused', 'composite', () => a.mul(3).add(1), 'FusedBackward0');
      at(4); inScope('Block', 'module', () => b.sum(), 'NotForModules0').backward();
    });
    assert.deepEqual(paths(s), ['fused', 'fused#2', 'Block']);
    assert.deepEqual({ ...s.scopeInfo }, {
      fused: { kind: 'composite', gradFn: 'FusedBackward0' },
      'fused#2': { kind: 'composite', gradFn: 'FusedBackward0' },
      Block: { kind: 'module', gradFn: null },
    });
  });

  it('lists only the scopes the graph\'s nodes are in', () => {
    const s = capture(({ at }) => {
      at(1); const w = torch.ones(2, { requiresGrad: true });
      at(2); inScope('kept', 'composite', () => w.mul(2)).sum().backward();
    });
    assert.deepEqual(Object.keys(s.scopeInfo ?? {}), ['kept']);
  });
});
