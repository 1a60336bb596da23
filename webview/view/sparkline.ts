/** A small line chart of one per-iteration series (training loops), with the shown iteration marked. */
import { svg } from '../util/dom';
import { num } from '../util/format';

const W = 180;
const H = 34;

export function sparkline(label: string, xs: readonly number[], ys: readonly number[], current: number | null): SVGSVGElement | null {
  const pts: [number, number][] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (Number.isFinite(ys[i])) pts.push([xs[i], ys[i]]);
  if (pts.length === 0) return null;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const sx = (x: number): number => (x1 > x0 ? ((x - x0) / (x1 - x0)) * (W - 4) + 2 : W / 2);
  const sy = (y: number): number => (y1 > y0 ? H - 3 - ((y - y0) / (y1 - y0)) * (H - 6) : H / 2);
  const d = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  const first = pts[0][1];
  const last = pts[pts.length - 1][1];
  const el = svg(
    'svg',
    { class: 'gs-sparkline', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${label}: ${num(first)} at iteration ${pts[0][0]} to ${num(last)} at iteration ${pts[pts.length - 1][0]} (min ${num(y0)}, max ${num(y1)})` },
    svg('path', { d, class: 'gs-sparkline-line', fill: 'none' }),
  );
  if (current !== null) {
    // The nearest recorded iteration to the shown one.
    let best = pts[0];
    for (const pt of pts) if (Math.abs(pt[0] - current) < Math.abs(best[0] - current)) best = pt;
    el.appendChild(svg('circle', { cx: sx(best[0]).toFixed(1), cy: sy(best[1]).toFixed(1), r: 3, class: 'gs-sparkline-mark' }));
  }
  return el;
}
