/**
 * Training loops: the iteration slider switches the values and gradients shown (frames), the details
 * pane draws each node's series as sparklines, the gradient-flow view follows the frame.
 */
import assert from 'node:assert/strict';
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { num } from '../../webview/util/format';
import { readFixture, useBrowser, useGraphPage } from './harness';

const training = readFixture('tutorial-training.json');
const its = training.iterations as NonNullable<GraphSnapshot['iterations']>;

describe('training loop (iterations)', function () {
  this.timeout(60_000);
  const suite = useBrowser();
  const current = useGraphPage(suite, training);

  const slider = async (): Promise<{ hidden: boolean; max: string; value: string; label: string }> =>
    current.wp.page.evaluate(() => {
      const s = document.getElementById('gs-iteration') as HTMLInputElement;
      return { hidden: (s.closest('.gs-bar') as HTMLElement).hidden, max: s.max, value: s.value, label: document.getElementById('gs-iteration-label')?.textContent ?? '' };
    });

  it('offers a slider over the kept iterations, starting at the last one', async () => {
    const s = await slider();
    assert.equal(s.hidden, false);
    assert.equal(Number(s.max), its.frames.length - 1);
    assert.equal(Number(s.value), its.frames.length - 1);
    assert.ok(s.label.startsWith(`iteration ${its.frames[its.frames.length - 1].iteration} `), s.label);
    assert.ok(s.label.includes(`${its.count} in the run`));
  });

  it('switches the values and gradients shown to the chosen iteration', async () => {
    await current.wp.clickNode('w');
    const shown = async (): Promise<{ value: string; grad: string }> => ({
      value: (await current.wp.page.$eval('#gs-details pre[data-kind="value"]', (e) => e.textContent)) ?? '',
      grad: (await current.wp.page.$eval('#gs-details pre[data-kind="grad"]', (e) => e.textContent)) ?? '',
    });
    const last = training.nodes.find((n) => n.id === 'w') as GraphSnapshot['nodes'][number];
    assert.deepEqual(await shown(), { value: last.tensor.text, grad: last.grad?.text });
    // Keyboard on the slider, as a user would: Home goes to the first kept iteration.
    await current.wp.page.focus('#gs-iteration');
    await current.wp.page.keyboard.press('Home');
    assert.deepEqual(await shown(), { value: its.frames[0].values.w.text, grad: its.frames[0].grads.w?.text });
    assert.notEqual(its.frames[0].values.w.text, last.tensor.text, 'the fixture changes w between iterations');
    await current.wp.page.keyboard.press('ArrowRight');
    assert.equal((await shown()).value, its.frames[1].values.w.text);
    assert.ok((await slider()).label.startsWith(`iteration ${its.frames[1].iteration} `));
    assert.ok((await current.wp.page.$eval('#gs-details .gs-details-sub', (e) => e.textContent ?? '')).includes(`iteration ${its.frames[1].iteration}`));
  });

  it('draws the per-node series as sparklines with the shown iteration marked', async () => {
    await current.wp.clickNode('bce');
    const series = its.series.bce;
    const charts = await current.wp.page.$$eval('#gs-details svg.gs-sparkline', (els) => els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', cx: Number(e.querySelector('circle')?.getAttribute('cx')) })));
    assert.equal(charts.length, 3, 'mean, value norm and gradient norm');
    const mean = charts[0];
    const first = series.valueMean[0];
    const lastValue = series.valueMean[series.valueMean.length - 1];
    assert.ok(mean.label.includes(`${num(first)} at iteration ${series.iterations[0]}`), mean.label);
    assert.ok(mean.label.includes(`to ${num(lastValue)} at iteration ${series.iterations[series.iterations.length - 1]}`), mean.label);
    await current.wp.page.focus('#gs-iteration');
    await current.wp.page.keyboard.press('Home');
    const cx0 = await current.wp.page.$eval('#gs-details svg.gs-sparkline circle', (e) => Number(e.getAttribute('cx')));
    assert.ok(cx0 < mean.cx, `the marker moves left for an earlier iteration (${cx0} < ${mean.cx})`);
  });

  it('follows the iteration in the gradient-flow view', async () => {
    await current.wp.page.click('#gs-flow');
    const legendAt = async (): Promise<string> => current.wp.page.$eval('#gs-legend', (e) => e.textContent ?? '');
    const lastLegend = await legendAt();
    await current.wp.page.focus('#gs-iteration');
    await current.wp.page.keyboard.press('Home');
    const firstLegend = await legendAt();
    // At iteration 0 the edges carry the gradients of their input tensors in that frame.
    const norms = training.edges.map((e) => its.frames[0].grads[e.source]?.stats?.norm).filter((x): x is number => typeof x === 'number' && x > 0);
    assert.ok(firstLegend.includes(num(Math.min(...norms))) && firstLegend.includes(num(Math.max(...norms))), firstLegend);
    assert.notEqual(firstLegend, lastLegend);
  });
});
