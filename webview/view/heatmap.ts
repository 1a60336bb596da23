/**
 * A heat map of a tensor's values on a canvas: 2-D as rows × columns, 1-D as one row, more dimensions
 * folded into rows. Diverging colours centred on zero (sign matters for values and gradients), NaN and
 * ±inf marked. Hovering shows the element's index and value.
 */
import type { TensorData } from '../../src/protocol/snapshot';
import { h } from '../util/dom';
import { num } from '../util/format';
import { parseColor, type Palette } from './palette';

const MAX_CSS_W = 280;
const MAX_CSS_H = 180;
/** Elements beyond this are not drawn (the capture already bounds values). */
const MAX_CELLS = 65_536;

export function heatmapGrid(shape: readonly number[]): { rows: number; cols: number } | null {
  if (shape.length === 0) return null;
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (rows * cols === 0) return null;
  return { rows, cols };
}

function indexText(shape: readonly number[], flat: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

export function heatmap(t: TensorData, what: string, p: Palette): HTMLElement | null {
  const grid = heatmapGrid(t.shape);
  if (!grid || t.values.length === 0 || t.dtype === 'bool') return null;
  const { rows, cols } = grid;
  const shownRows = Math.min(rows, Math.ceil(Math.min(t.values.length, MAX_CELLS) / cols));
  let maxAbs = 0;
  for (const v of t.values) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  const canvas = h('canvas', { class: 'gs-heatmap', role: 'img' });
  canvas.width = cols;
  canvas.height = shownRows;
  const cell = Math.max(1, Math.min(24, Math.floor(MAX_CSS_W / cols), Math.floor(MAX_CSS_H / shownRows)));
  canvas.style.width = `${cols * cell}px`;
  canvas.style.height = `${shownRows * cell}px`;
  canvas.setAttribute('aria-label', `Heat map of ${what}: ${rows} by ${cols}, from ${num(-maxAbs)} (blue) to ${num(maxAbs)} (red)`);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(cols, shownRows);
    const neg = parseColor(p.heatNegative);
    const zero = parseColor(p.heatZero);
    const pos = parseColor(p.heatPositive);
    const nan = parseColor(p.heatNaN);
    for (let k = 0; k < cols * shownRows; k++) {
      const v = t.values[k];
      let rgb: number[];
      if (v === undefined) rgb = [0, 0, 0, 0];
      else if (Number.isNaN(v)) rgb = nan;
      else if (!Number.isFinite(v)) rgb = v > 0 ? pos.map((x) => x * 0.6) : neg.map((x) => x * 0.6);
      else {
        const u = maxAbs > 0 ? Math.min(1, Math.abs(v) / maxAbs) : 0;
        const end = v >= 0 ? pos : neg;
        rgb = [0, 1, 2].map((i) => zero[i] + (end[i] - zero[i]) * u);
      }
      img.data[k * 4] = rgb[0];
      img.data[k * 4 + 1] = rgb[1];
      img.data[k * 4 + 2] = rgb[2];
      img.data[k * 4 + 3] = v === undefined ? 0 : 255;
    }
    ctx.putImageData(img, 0, 0);
  }
  const readout = h('div', { class: 'gs-heatmap-readout', attrs: { 'aria-hidden': 'true' } }, `${rows} × ${cols} · range ±${num(maxAbs)}`);
  canvas.addEventListener('mousemove', (e) => {
    const c = Math.floor(e.offsetX / cell);
    const r = Math.floor(e.offsetY / cell);
    const k = r * cols + c;
    if (c < 0 || c >= cols || r < 0 || r >= shownRows || k >= t.values.length) return;
    readout.textContent = `${indexText(t.shape, k)} = ${num(t.values[k])}`;
  });
  canvas.addEventListener('mouseleave', () => {
    readout.textContent = `${rows} × ${cols} · range ±${num(maxAbs)}`;
  });
  const note = rows > shownRows || t.truncated ? h('div', { class: 'gs-note' }, `first ${Math.min(t.values.length, shownRows * cols)} elements shown`) : null;
  return h('figure', { class: 'gs-heatmap-figure' }, canvas, readout, note);
}
