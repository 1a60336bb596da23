/** The page's model of a snapshot: scope instances, collapsed boxes, focus filters, search. */
import assert from 'node:assert/strict';
import type { GraphNode, GraphSnapshot } from '../../src/protocol/snapshot';
import { focusFilter } from '../../webview/model/focus';
import { GraphModel } from '../../webview/model/graphModel';
import { searchNodes } from '../../webview/model/search';
import { buildVisibleGraph } from '../../webview/model/visibleGraph';
import { readFixture } from './harness';

const tensor = { shape: [2], dtype: 'float32' as const, values: [1, 2], truncated: false, text: 'tensor([1., 2.])', stats: null };

/** ops in execution order, each `[id, scope, inputs]`; leaves are made for inputs named p*. */
function graph(ops: [string, string[], string[]][]): GraphModel {
  const nodes: GraphNode[] = [];
  const edges: GraphSnapshot['edges'] = [];
  const seen = new Set<string>();
  const node = (id: string, kind: GraphNode['kind'], scope: string[]): GraphNode => ({
    id, kind, label: kind === 'op' ? `${id}Backward0` : id, op: kind === 'op' ? id : null, varName: kind === 'op' ? null : id, location: null,
    tensor, grad: null, requiresGrad: kind !== 'constant', isLeaf: kind !== 'op', isRoot: false, saved: [], scope, backwardOrder: null, rule: null, attrs: null,
  });
  for (const [id, scope, inputs] of ops) {
    for (const i of inputs) if (!seen.has(i)) (seen.add(i), nodes.push(node(i, 'leaf', [])));
    seen.add(id);
    nodes.push(node(id, 'op', scope));
    inputs.forEach((src, k) => edges.push({ id: `${src}>${id}`, source: src, target: id, inputIndex: k, grad: null }));
  }
  nodes[nodes.length - 1].isRoot = true;
  return new GraphModel({ version: 1, file: '/t.ts', nodes, edges, bindings: [], roots: [nodes[nodes.length - 1].id], iterations: null, truncation: null });
}

describe('graph model', () => {
  it('tells module calls apart by time and nests scopes', () => {
    const m = graph([
      ['a', ['Seq', 'Linear'], ['p0']],
      ['b', ['Seq', 'Linear'], ['a', 'p1']],
      ['r', ['Seq', 'ReLU'], ['b']],
      ['c', ['Seq', 'Linear'], ['r', 'p2']],
      ['loss', [], ['c']],
    ]);
    assert.deepEqual([...m.scopes.byKey.keys()], ['Seq#0', 'Seq#0/Linear#0', 'Seq#0/ReLU#0', 'Seq#0/Linear#1']);
    const seq = m.scopes.byKey.get('Seq#0');
    assert.equal(seq?.size, 4);
    assert.deepEqual(seq?.children.map((c) => c.key), ['Seq#0/Linear#0', 'Seq#0/ReLU#0', 'Seq#0/Linear#1']);
    // Parameters made outside the module stay at the top level.
    assert.equal(m.scopes.nodeScope[m.indexOf.get('p1') as number], null);
  });

  it('shows a call\'s scope without the capture\'s #n suffix, and keeps the calls apart', () => {
    const m = graph([
      ['a', ['matmul'], ['p0']],
      ['b', ['matmul#2'], ['a', 'p1']],
      ['c', ['Linear[0]#3', 'linear'], ['b']],
    ]);
    const scopes = [...m.scopes.byKey.values()];
    assert.deepEqual(scopes.map((s) => s.name), ['matmul', 'matmul#2', 'Linear[0]#3', 'linear']);
    assert.deepEqual(scopes.map((s) => s.label), ['matmul', 'matmul', 'Linear[0]', 'linear']);
    assert.equal(new Set(scopes.map((s) => s.key)).size, 4);
  });

  it('collapses a scope into one box with merged edges, and its inside edges disappear', () => {
    const m = graph([
      ['a', ['L'], ['p0', 'p1']],
      ['b', ['L'], ['a', 'p1']],
      ['loss', [], ['b', 'p1']],
    ]);
    const open = buildVisibleGraph(m, new Set(), null);
    assert.equal(open.items.length, m.nodes.length);
    assert.equal(open.edges.length, m.edges.length);
    const shut = buildVisibleGraph(m, new Set(['L#0']), null);
    assert.equal(shut.items.length, m.nodes.length - 1);
    const box = shut.items.findIndex((i) => i.kind === 'scope');
    const p1 = shut.itemOfNode[m.indexOf.get('p1') as number];
    // p1 feeds a and b (inside) and the loss: one merged edge into the box, one to the loss.
    const intoBox = shut.edges.filter((e) => e.source === p1 && e.target === box);
    assert.equal(intoBox.length, 1);
    assert.equal(intoBox[0].edges.length, 2);
    assert.equal(shut.edgeOfModelEdge[m.edgeIndexOf.get('a>b') as number], -1, 'the edge inside the box is gone');
  });

  it('focuses on the ancestors of the loss and on the path from a parameter', () => {
    const m = graph([
      ['a', [], ['p0']],
      ['side', [], ['p1']],
      ['b', [], ['a', 'p2']],
      ['loss', [], ['b']],
    ]);
    const ids = (mask: Uint8Array | null): string[] => m.nodes.filter((_, i) => mask?.[i]).map((n) => n.id);
    // `side` does not feed the loss (it is a sink of its own, not a root).
    assert.deepEqual(ids(focusFilter(m, 'lossAncestors', [])), ['p0', 'a', 'p2', 'b', 'loss']);
    assert.deepEqual(ids(focusFilter(m, 'pathToLoss', [m.indexOf.get('p2') as number])), ['p2', 'b', 'loss']);
    assert.equal(focusFilter(m, 'pathToLoss', [m.indexOf.get('p1') as number]), null, 'p1 does not reach the loss');
    assert.equal(focusFilter(m, 'none', []), null);
  });

  it('searches labels, variables, ops and scopes, case-insensitively', () => {
    const m = new GraphModel(readFixture('tutorial.json') as GraphSnapshot);
    const names = (q: string): string[] => searchNodes(m, q).map((i) => m.nodes[i].id);
    assert.deepEqual(names('MMBACK'), ['mm']);
    assert.deepEqual(names('matmul'), ['mm', 'squeeze']);
    assert.deepEqual(names('loss'), ['bce']);
    assert.deepEqual(names('   '), []);
  });

  it('orders the backward steps as autograd ran them', () => {
    const t = readFixture('tutorial.json') as GraphSnapshot;
    const m = new GraphModel(t);
    const expected = t.nodes.filter((n) => n.backwardOrder !== null).sort((a, b) => (a.backwardOrder as number) - (b.backwardOrder as number)).map((n) => n.id);
    assert.deepEqual(m.backwardSteps.map((i) => m.nodes[i].id), expected);
  });
});
