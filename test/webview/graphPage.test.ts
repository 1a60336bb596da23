/**
 * The graph page with the tutorial graph (PyTorch's autograd tutorial), in headless Chromium under the
 * page's real CSP, driven the way users and VS Code drive it.
 */
import assert from 'node:assert/strict';
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { num } from '../../webview/util/format';
import { colourDistance, pixelAt, readFixture, rgbOf, setGraphMessage, useBrowser, useGraphPage } from './harness';

const tutorial = readFixture('tutorial.json');
const byId = new Map(tutorial.nodes.map((n) => [n.id, n]));
const nameOf = (id: string): string => {
  const n = byId.get(id);
  if (!n) throw new Error(`no node ${id}`);
  return n.kind === 'op' ? n.label : (n.varName ?? n.label);
};
const shapeOf = (id: string): string => `(${byId.get(id)?.tensor.shape.join(', ')})`;

describe('graph page (tutorial graph)', function () {
  this.timeout(60_000);
  const suite = useBrowser();
  const current = useGraphPage(suite, tutorial);

  it('says ready before anything else and renders every node, readable from the accessible outline', async () => {
    const posted = await current.wp.posted();
    assert.equal(posted[0]?.type, 'ready');
    const outline = await current.wp.outline();
    const items = outline.filter((o) => o.nodeId !== null);
    assert.deepEqual(items.map((o) => o.nodeId).sort(), tutorial.nodes.map((n) => n.id).sort());
    for (const item of items) {
      const id = item.nodeId as string;
      assert.ok(item.text.startsWith(nameOf(id)), `${id}: "${item.text}" starts with its name`);
      assert.ok(item.text.includes(shapeOf(id)), `${id}: shows its shape`);
      const inputs = tutorial.edges.filter((e) => e.target === id).sort((a, b) => a.inputIndex - b.inputIndex);
      if (inputs.length) assert.ok(item.text.includes(`inputs: ${inputs.map((e) => nameOf(e.source)).join(', ')}`), `${id}: lists its inputs (${item.text})`);
      const users = tutorial.edges.filter((e) => e.source === id);
      if (users.length) assert.ok(item.text.includes(`used by: ${users.map((e) => nameOf(e.target)).join(', ')}`), `${id}: lists its users`);
    }
    const kinds = await current.wp.page.$$eval('#gs-outline-tree [data-node-id]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-node-id'), e.getAttribute('data-kind')])));
    for (const n of tutorial.nodes) assert.equal(kinds[n.id], n.isRoot ? 'root' : n.kind, `${n.id} kind`);
    // The scope of the matmul composite groups its two nodes one level down.
    const scope = outline.find((o) => o.scopeKey !== null);
    assert.ok(scope, 'the matmul scope is in the outline');
    const nested = outline.filter((o) => o.level === 2).map((o) => o.nodeId);
    assert.deepEqual(nested.sort(), tutorial.nodes.filter((n) => n.scope.length > 0).map((n) => n.id).sort());
  });

  it('posts selectNode and openSource with the location when a node is clicked on the canvas', async () => {
    for (const id of ['mm', 'w', 'bce']) {
      await current.wp.clearPosted();
      await current.wp.clickNode(id);
      const open = await current.wp.waitForPosted('openSource');
      const posted = await current.wp.posted();
      const select = posted.find((m) => m.type === 'selectNode');
      assert.deepEqual(open.location, byId.get(id)?.location, `${id}: openSource location`);
      assert.equal(open.nodeId, id);
      assert.equal(select?.nodeId, id);
      assert.deepEqual(select?.location, byId.get(id)?.location);
      const selected = (await current.wp.outline()).filter((o) => o.selected).map((o) => o.nodeId);
      assert.deepEqual(selected, [id], 'the outline follows the canvas selection');
    }
  });

  it('shows values, gradient, stats, heat map, saved tensors, attributes and the rule of the selected node', async () => {
    await current.wp.clickNode('w');
    const w = byId.get('w') as GraphSnapshot['nodes'][number];
    const valueText = await current.wp.page.$eval('#gs-details pre[data-kind="value"]', (e) => e.textContent);
    const gradText = await current.wp.page.$eval('#gs-details pre[data-kind="grad"]', (e) => e.textContent);
    assert.equal(valueText, w.tensor.text);
    assert.equal(gradText, w.grad?.text);
    const title = await current.wp.page.$eval('#gs-details .gs-details-title', (e) => e.textContent);
    assert.equal(title, 'w');
    const heatmaps = await current.wp.page.$$eval('#gs-details canvas.gs-heatmap', (els) => els.map((e) => ({ w: (e as HTMLCanvasElement).width, h: (e as HTMLCanvasElement).height, label: e.getAttribute('aria-label') })));
    assert.equal(heatmaps.length, 2, 'value and gradient heat maps');
    assert.deepEqual([heatmaps[0].h, heatmaps[0].w], w.tensor.shape);
    const stats = await current.wp.page.$$eval('#gs-details .gs-tensor-value .gs-stats th', (els) => els.map((e) => e.textContent));
    assert.deepEqual(stats.slice(0, 5), ['min', 'max', 'mean', 'std', 'norm']);

    await current.wp.clickNode('bce');
    const bce = byId.get('bce') as GraphSnapshot['nodes'][number];
    const details = await current.wp.detailsText();
    for (const s of bce.saved) assert.ok(details.includes(s.name), `saved tensor ${s.name} listed`);
    assert.ok(details.includes(bce.rule as string), 'the derivative rule');
    for (const [k, v] of Object.entries(bce.attrs ?? {})) assert.ok(details.includes(k) && details.includes(String(v)), `attribute ${k}`);
    assert.ok(details.includes(bce.tensor.text), 'the loss value as PyTorch prints it');

    // The location link in the details posts openSource.
    await current.wp.clearPosted();
    await current.wp.page.click('#gs-details .gs-location');
    const open = await current.wp.waitForPosted('openSource');
    assert.deepEqual(open.location, bce.location);
  });

  it('replays backward in backwardOrder, with the incoming gradient and the local rule', async () => {
    const order = tutorial.nodes.filter((n) => n.backwardOrder !== null).sort((a, b) => (a.backwardOrder as number) - (b.backwardOrder as number));
    await current.wp.page.click('#gs-replay');
    const seen: string[] = [];
    for (let k = 0; k < order.length; k++) {
      const label = await current.wp.page.$eval('#gs-replay-label', (e) => e.textContent ?? '');
      assert.equal(label, `Step ${k + 1} of ${order.length}: ${nameOf(order[k].id)}`);
      const step = await current.wp.page.$eval('#gs-details .gs-replay-step', (e) => e.textContent ?? '');
      assert.ok(step.includes(`Backward step ${k + 1} of ${order.length}`));
      if (order[k].rule) assert.ok(step.includes(order[k].rule as string), `step ${k}: the local rule`);
      const inputs = tutorial.edges.filter((e) => e.target === order[k].id);
      for (const e of inputs) assert.ok(step.includes(nameOf(e.source)), `step ${k}: sends to ${e.source}`);
      seen.push((await current.wp.page.$eval('#gs-details .gs-details-title', (e) => e.textContent ?? '')) as string);
      if (k + 1 < order.length) await current.wp.page.click('#gs-replay-next');
    }
    assert.deepEqual(seen, order.map((n) => nameOf(n.id)));
    await current.wp.page.click('#gs-replay-prev');
    assert.equal(await current.wp.page.$eval('#gs-replay-label', (e) => e.textContent), `Step ${order.length - 1} of ${order.length}: ${nameOf(order[order.length - 2].id)}`);
    // Each step also tells the host, so the editor can follow along.
    const selects = (await current.wp.posted()).filter((m) => m.type === 'selectNode').map((m) => m.nodeId);
    assert.deepEqual(selects.slice(0, order.length), order.map((n) => n.id));
    await current.wp.page.click('#gs-replay-close');
    assert.equal(await current.wp.page.$eval('.gs-replay-bar', (e) => (e as HTMLElement).hidden), true);
  });

  it('shows accumulation in the replay where a tensor feeds several ops', async () => {
    // a = leaf; m = a * a; s = m + a; backward from s: a's gradient sums three contributions.
    const t = (v: number[], text: string): GraphSnapshot['nodes'][number]['tensor'] => ({ shape: [v.length], dtype: 'float32', values: v, truncated: false, text, stats: null });
    const loc = { file: '/home/student/fanout.ts', line: 3, column: 1 };
    const node = (id: string, kind: 'op' | 'leaf', label: string, order: number, grad: number[]): GraphSnapshot['nodes'][number] => ({
      id, kind, label, op: kind === 'op' ? label : 'tensor', varName: id, location: loc, tensor: t([2], 'tensor([2.])'), grad: t(grad, `tensor([${grad.join('., ')}.])`),
      requiresGrad: true, isLeaf: kind === 'leaf', isRoot: id === 's', saved: [], scope: [], backwardOrder: order, rule: kind === 'op' ? `rule of ${label}` : null, attrs: null,
    });
    const fanout: GraphSnapshot = {
      version: 1, file: loc.file, bindings: [], roots: ['s'], iterations: null, truncation: null,
      nodes: [node('a', 'leaf', 'a', 2, [5]), node('m', 'op', 'MulBackward0', 1, [1]), node('s', 'op', 'AddBackward0', 0, [1])],
      edges: [
        { id: 'e0', source: 'a', target: 'm', inputIndex: 0, grad: t([2], 'tensor([2.])') },
        { id: 'e1', source: 'a', target: 'm', inputIndex: 1, grad: t([2], 'tensor([2.])') },
        { id: 'e2', source: 'm', target: 's', inputIndex: 0, grad: t([1], 'tensor([1.])') },
        { id: 'e3', source: 'a', target: 's', inputIndex: 1, grad: t([1], 'tensor([1.])') },
      ],
    };
    await current.wp.setGraph(fanout);
    await current.wp.page.click('#gs-replay');
    await current.wp.page.click('#gs-replay-next');
    await current.wp.page.click('#gs-replay-next');
    const step = await current.wp.page.$eval('#gs-details .gs-replay-step', (e) => e.textContent ?? '');
    assert.ok(step.includes('a is used 3 times, so its gradient is the sum of 3 contributions'), step);
    assert.equal(step.match(/from MulBackward0/g)?.length, 2);
    assert.ok(step.includes('from AddBackward0'));
    assert.ok(step.includes('Accumulated into a.grad'));
  });

  it('collapses a scope into one box and expands it again by clicking the box', async () => {
    const members = tutorial.nodes.filter((n) => n.scope.length > 0).map((n) => n.id);
    const sceneNodes = async (): Promise<number> => Number(await current.wp.page.$eval('#gradscope-root', (e) => (e as HTMLElement).dataset.sceneNodes));
    assert.equal(await sceneNodes(), tutorial.nodes.length);
    const scopeKey = (await current.wp.outline()).find((o) => o.scopeKey)?.scopeKey as string;
    // Collapse from the keyboard in the outline: focus the scope row, ArrowLeft.
    await current.wp.page.focus('#gs-outline-tree');
    await current.wp.page.click(`#gs-outline-tree [data-scope-key="${scopeKey}"] .gs-o-name`);
    await current.wp.page.keyboard.press('ArrowLeft');
    await current.wp.page.waitForFunction((key) => document.querySelector(`#gs-outline-tree [data-scope-key="${key}"]`)?.getAttribute('aria-expanded') === 'false', scopeKey);
    await current.wp.waitForGraph();
    assert.equal(await sceneNodes(), tutorial.nodes.length - members.length + 1);
    const outline = await current.wp.outline();
    for (const id of members) assert.ok(!outline.some((o) => o.nodeId === id), `${id} is inside the box`);
    // Click the box on the canvas.
    await current.wp.clickNode(scopeKey);
    await current.wp.page.waitForFunction((key) => document.querySelector(`#gs-outline-tree [data-scope-key="${key}"]`)?.getAttribute('aria-expanded') === 'true', scopeKey);
    await current.wp.waitForGraph();
    assert.equal(await sceneNodes(), tutorial.nodes.length);
    const again = await current.wp.outline();
    for (const id of members) assert.ok(again.some((o) => o.nodeId === id), `${id} is back`);
    // The expanded scope is framed on the canvas; clicking the frame's name collapses it again.
    const label = await current.wp.page.evaluate((k) => (window as unknown as { gradscopeDebug: { hullLabelPoint(k: string): { x: number; y: number } | null } }).gradscopeDebug.hullLabelPoint(k), scopeKey);
    assert.ok(label, 'the expanded scope has a frame');
    await current.wp.page.mouse.click(label.x, label.y);
    await current.wp.page.waitForFunction((key) => document.querySelector(`#gs-outline-tree [data-scope-key="${key}"]`)?.getAttribute('aria-expanded') === 'false', scopeKey);
  });

  it('searches by name, op and variable, and Enter selects the matches in turn', async () => {
    for (const q of ['squeeze', 'Backward0', 'loss', 'randn']) {
      const expected = tutorial.nodes.filter((n) => [n.label, n.varName ?? '', n.op ?? '', ...n.scope].some((s) => s.toLowerCase().includes(q.toLowerCase())));
      await current.wp.page.fill('#gs-search', q);
      await current.wp.page.waitForFunction((t) => (document.getElementById('gs-search-count')?.textContent ?? '').endsWith(t), `of ${expected.length}`);
      const matched = await current.wp.page.$$eval('#gs-outline-tree [data-match="true"]', (els) => els.map((e) => e.getAttribute('data-node-id')));
      assert.deepEqual(matched.sort(), expected.map((n) => n.id).sort(), `matches of ${q}`);
      await current.wp.clearPosted();
      await current.wp.page.press('#gs-search', 'Enter');
      const select = await current.wp.waitForPosted('selectNode');
      assert.ok(expected.some((n) => n.id === select.nodeId), `Enter selects a match of ${q}`);
    }
    await current.wp.page.fill('#gs-search', 'no-such-node');
    await current.wp.page.waitForFunction(() => document.getElementById('gs-search-count')?.textContent === 'no match');
  });

  it('walks the outline with the arrow keys and the canvas along edges', async () => {
    const rows = (await current.wp.outline()).map((o) => o.nodeId ?? o.scopeKey);
    await current.wp.page.focus('#gs-outline-tree');
    await current.wp.clearPosted();
    await current.wp.page.keyboard.press('Home');
    await current.wp.page.keyboard.press('ArrowDown');
    await current.wp.page.keyboard.press('ArrowDown');
    const active = await current.wp.page.$eval('#gs-outline-tree', (e) => document.getElementById(e.getAttribute('aria-activedescendant') ?? '')?.getAttribute('data-node-id'));
    assert.equal(active, rows[2]);
    const selects = (await current.wp.posted()).filter((m) => m.type === 'selectNode').map((m) => m.nodeId);
    assert.deepEqual(selects, rows.slice(0, 3));
    // Enter opens the source of the active node.
    await current.wp.page.keyboard.press('Enter');
    const open = await current.wp.waitForPosted('openSource');
    assert.equal(open.nodeId, rows[2]);

    // Canvas: from the loss, ArrowUp goes to one of its inputs, ArrowDown comes back.
    await current.wp.clickNode('bce');
    await current.wp.clearPosted();
    await current.wp.page.keyboard.press('ArrowUp');
    const up = await current.wp.waitForPosted('selectNode');
    assert.ok(tutorial.edges.some((e) => e.target === 'bce' && e.source === up.nodeId), `ArrowUp went to an input of the loss (${String(up.nodeId)})`);
    await current.wp.clearPosted();
    await current.wp.page.keyboard.press('ArrowDown');
    assert.equal((await current.wp.waitForPosted('selectNode')).nodeId, 'bce');
  });

  it('follows the host: selectNodes highlights without echoing, revealNode selects, malformed messages are dropped', async () => {
    await current.wp.clearPosted();
    await current.wp.send({ v: 1, type: 'selectNodes', nodeIds: ['mm', 'squeeze'] });
    await current.wp.page.waitForFunction(() => document.querySelector('#gs-details .gs-details-title')?.textContent === 'MmBackward0');
    await current.wp.send({ v: 1, type: 'revealNode', nodeId: 'b' });
    await current.wp.page.waitForFunction(() => document.querySelector('#gs-details .gs-details-title')?.textContent === 'b');
    assert.deepEqual((await current.wp.posted()).filter((m) => m.type === 'selectNode' || m.type === 'openSource'), [], 'host-driven selection is not echoed back');

    const before = await current.wp.outline();
    const bad: unknown[] = [
      null,
      'setGraph',
      { ...(setGraphMessage(tutorial) as object), v: 2 },
      { v: 1, type: 'noSuchMessage' },
      setGraphMessage({ ...tutorial, nodes: [{ id: 'x' }] }),
      setGraphMessage({ ...tutorial, edges: [{ id: 'e', source: 'x', target: 'missing', inputIndex: 0, grad: null }] }),
      { v: 1, type: 'setGraph', snapshot: tutorial },
      { v: 1, type: 'selectNodes', nodeIds: 'mm' },
      { v: 1, type: 'revealNode', nodeId: 42 },
      { v: 1, type: 'theme', kind: 'purple' },
    ];
    await current.wp.clearPosted();
    for (const m of bad) await current.wp.send(m);
    await current.wp.page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'log').length === n, bad.length);
    const logs = (await current.wp.posted()).filter((m) => m.type === 'log');
    assert.ok(logs.every((m) => m.level === 'warn' && String(m.message).startsWith('dropped a message')));
    const errors = logs.map((m) => String(m.message));
    assert.ok(errors.some((e) => e.includes('snapshot.nodes[0]')), `the error names the bad field: ${errors.join(' | ')}`);
    assert.ok(errors.some((e) => e.includes('refers to a missing node')), 'edges to unknown nodes are refused');
    assert.deepEqual(await current.wp.outline(), before, 'the graph is unchanged');
  });

  it('focuses on the path from a parameter to the loss, and on what feeds the loss', async () => {
    // Expected from the fixture: descendants of w that are ancestors of the loss.
    const down = new Set(['w']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of tutorial.edges) if (down.has(e.source) && !down.has(e.target)) (down.add(e.target), (grew = true));
    }
    const up = new Set(tutorial.roots);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of tutorial.edges) if (up.has(e.target) && !up.has(e.source)) (up.add(e.source), (grew = true));
    }
    await current.wp.clickNode('w');
    await current.wp.page.selectOption('#gs-focus', 'pathToLoss');
    await current.wp.page.waitForFunction((n) => (document.getElementById('gradscope-root') as HTMLElement).dataset.sceneNodes === String(n), [...down].filter((id) => up.has(id)).length);
    await current.wp.waitForGraph();
    const shown = (await current.wp.outline()).filter((o) => o.nodeId).map((o) => o.nodeId);
    assert.deepEqual(shown.sort(), [...down].filter((id) => up.has(id)).sort());
    await current.wp.page.selectOption('#gs-focus', 'lossAncestors');
    await current.wp.page.waitForFunction((n) => (document.getElementById('gradscope-root') as HTMLElement).dataset.sceneNodes === String(n), up.size);
    await current.wp.page.selectOption('#gs-focus', 'none');
    await current.wp.page.waitForFunction((n) => (document.getElementById('gradscope-root') as HTMLElement).dataset.sceneNodes === String(n), tutorial.nodes.length);
  });

  it('colours edges by gradient magnitude on a log scale, with a legend', async () => {
    await current.wp.page.click('#gs-flow');
    assert.equal(await current.wp.page.$eval('#gs-flow', (e) => e.getAttribute('aria-pressed')), 'true');
    const legend = await current.wp.page.$eval('#gs-legend', (e) => e.textContent ?? '');
    assert.ok(legend.includes('Gradient norm along edges'), legend);
    // The legend's range is the smallest and largest edge gradient norm of the fixture.
    const norms = tutorial.edges.map((e) => e.grad?.stats?.norm).filter((x): x is number => typeof x === 'number' && x > 0);
    assert.ok(legend.includes(num(Math.min(...norms))) && legend.includes(num(Math.max(...norms))), `legend range ${legend}`);
    await current.wp.page.click('#gs-flow');
    assert.equal(await current.wp.page.$eval('#gs-flow', (e) => e.getAttribute('aria-pressed')), 'false');
  });

  it('follows VS Code theme classes; screenshots in light, dark and high contrast', async () => {
    const leafFill = async (): Promise<[number, number, number]> => rgbOf(await current.wp.page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--gs-leaf-fill')));
    const sample = async (): Promise<[number, number, number]> => {
      const p = await current.wp.pointOf('w');
      // A little off-centre, away from the label text.
      return pixelAt(current.wp.page, p.x - 14, p.y - 10);
    };
    const themes: [string, string][] = [
      ['light', 'vscode-light'],
      ['dark', 'vscode-dark'],
      ['high-contrast', 'vscode-high-contrast'],
    ];
    const seen: [number, number, number][] = [];
    for (const [name, cls] of themes) {
      // VS Code switches themes by changing the body class; the page must follow by itself.
      await current.wp.page.evaluate((c) => {
        document.body.className = c;
      }, cls);
      await current.wp.page.waitForTimeout(300);
      const px = await sample();
      assert.ok(colourDistance(px, await leafFill()) <= 12, `${name}: the leaf w is drawn in the theme's leaf colour (${px.join(',')})`);
      seen.push(px);
      await current.wp.screenshot(`tutorial-${name}`);
    }
    assert.ok(colourDistance(seen[0], seen[1]) > 40, 'light and dark differ');
    // The `theme` message does the same for hosts that are not VS Code.
    await current.wp.send({ v: 1, type: 'theme', kind: 'dark' });
    await current.wp.page.waitForFunction(() => document.body.classList.contains('vscode-dark'));
  });

  it('shows how the run went: running, a failure with its location, re-run, clearing the selection', async () => {
    await current.wp.send({ v: 1, type: 'runStarted', runId: 'run-2', file: tutorial.file });
    await current.wp.page.waitForFunction(() => document.getElementById('gs-run-status')?.textContent === 'Running autograd.ts…');
    const location = { file: tutorial.file, line: 8, column: 11 };
    const error = { kind: 'exception', name: 'RuntimeError', pyType: 'RuntimeError', message: 'mat1 and mat2 shapes cannot be multiplied (5x3 and 4x2)', location };
    await current.wp.send({ v: 1, type: 'setGraph', runId: 'run-2', snapshot: null, run: { file: tutorial.file, status: 'error', error, durationMs: 12 } });
    await current.wp.page.waitForFunction(() => document.getElementById('gs-run-status')?.dataset.state === 'error');
    const status = await current.wp.page.$eval('#gs-run-status', (e) => e.textContent ?? '');
    assert.ok(status.startsWith(`RuntimeError: ${error.message}`), status);
    assert.ok(status.includes('(showing the previous graph)'));
    assert.equal((await current.wp.outline()).filter((o) => o.nodeId).length, tutorial.nodes.length, 'the previous graph stays');
    await current.wp.clearPosted();
    await current.wp.page.click('#gs-run-status .gs-location');
    assert.deepEqual((await current.wp.waitForPosted('openSource')).location, location);
    await current.wp.page.click('#gs-rerun');
    await current.wp.waitForPosted('rerun');
    // Clicking the empty canvas clears the selection (and tells the host).
    await current.wp.clickNode('w');
    await current.wp.clearPosted();
    const box = await current.wp.page.$eval('.gs-graph', (e) => e.getBoundingClientRect().toJSON() as { right: number; top: number });
    await current.wp.page.mouse.click(box.right - 20, box.top + 20);
    const cleared = await current.wp.waitForPosted('selectNode');
    assert.equal(cleared.nodeId, null);
    assert.ok((await current.wp.detailsText()).startsWith('Select a node'));
  });

  it('starts composite ops collapsed and names a fused one as PyTorch does (scopeInfo)', async () => {
    // (Another file: a re-run of the same file keeps the user's open/closed boxes.)
    const withInfo = { ...tutorial, file: '/home/student/composite.ts', scopeInfo: { matmul: { kind: 'composite', gradFn: null } } };
    await current.wp.setGraph(withInfo);
    const row = (await current.wp.outline()).find((o) => o.scopeKey === 'matmul#0');
    assert.equal(row?.expanded, 'false', 'composite scopes start collapsed');
    assert.ok(row?.text.startsWith('matmul, composite scope, 2 nodes'), row?.text);
    // A composite PyTorch runs as one node shows that node's name when collapsed.
    const fused = JSON.parse(JSON.stringify(tutorial)) as GraphSnapshot & { scopeInfo?: unknown };
    fused.file = '/home/student/fused.ts';
    fused.scopeInfo = { matmul: { kind: 'composite', gradFn: 'MvBackward0' } };
    await current.wp.setGraph(fused);
    const names = await current.wp.page.$$eval('#gs-outline-tree [data-scope-key] .gs-o-name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(names, ['MvBackward0']);
    await current.wp.clearPosted();
    await current.wp.page.selectOption('#gs-export', 'svg');
    const svg = String((await current.wp.waitForPosted('export')).data);
    assert.ok(svg.includes('>MvBackward0</tspan>'), 'the collapsed box carries the fused name');
  });

  it('keeps selection and collapsed scopes when the same script runs again', async () => {
    await current.wp.clickNode('w');
    const again: GraphSnapshot = JSON.parse(JSON.stringify(tutorial)) as GraphSnapshot;
    const w = again.nodes.find((n) => n.id === 'w') as GraphSnapshot['nodes'][number];
    w.tensor = { ...w.tensor, text: 'tensor([[9., 9., 9.]])' };
    await current.wp.setGraph(again);
    assert.equal(await current.wp.page.$eval('#gs-details .gs-details-title', (e) => e.textContent), 'w');
    assert.equal(await current.wp.page.$eval('#gs-details pre[data-kind="value"]', (e) => e.textContent), 'tensor([[9., 9., 9.]])');
  });
});
