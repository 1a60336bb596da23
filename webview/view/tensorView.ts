/** A tensor in the details pane: shape and dtype, stats, heat map and PyTorch's printed text. */
import type { TensorData, TensorStats } from '../../src/protocol/snapshot';
import { h } from '../util/dom';
import { num, shapeText } from '../util/format';
import { heatmap } from './heatmap';
import type { Palette } from './palette';

export function statsTable(s: TensorStats): HTMLElement {
  const row = (k: string, v: string): HTMLElement => h('tr', null, h('th', { attrs: { scope: 'row' } }, k), h('td', null, v));
  return h(
    'table',
    { class: 'gs-stats' },
    h(
      'tbody',
      null,
      row('min', num(s.min)),
      row('max', num(s.max)),
      row('mean', num(s.mean)),
      row('std', num(s.std)),
      row('norm', num(s.norm)),
      s.nanCount ? row('NaN', String(s.nanCount)) : null,
      s.infCount ? row('Inf', String(s.infCount)) : null,
    ),
  );
}

export function tensorBlock(title: string, t: TensorData, p: Palette, kind: 'value' | 'grad'): HTMLElement {
  const warn = t.stats && (t.stats.nanCount > 0 || t.stats.infCount > 0) ? h('span', { class: 'gs-badge gs-badge-warn' }, `${t.stats.nanCount} NaN, ${t.stats.infCount} Inf`) : null;
  return h(
    'section',
    { class: `gs-tensor gs-tensor-${kind}`, attrs: { 'aria-label': title } },
    h('h3', null, title, ' ', h('span', { class: 'gs-meta' }, `${shapeText(t.shape)} ${t.dtype}`), ' ', warn),
    t.stats ? statsTable(t.stats) : null,
    heatmap(t, title.toLowerCase(), p),
    h('pre', { class: 'gs-tensor-text', attrs: { 'data-kind': kind } }, t.text),
    t.truncated ? h('div', { class: 'gs-note' }, 'values truncated by the capture limit') : null,
  );
}
