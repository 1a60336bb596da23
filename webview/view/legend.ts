/** The legend: node kinds in torchviz's colours, and the gradient-magnitude scale when it is shown. */
import { h, clear } from '../util/dom';
import { num } from '../util/format';
import type { NodeKindStyle, Palette } from './palette';

/** Same breakpoint as the stacked layout in media/graph.css. */
const NARROW_PANEL_QUERY = '(max-width: 720px)';

const KINDS: [NodeKindStyle, string][] = [
  ['leaf', 'leaf that requires grad (parameter)'],
  ['op', 'backward node (PyTorch name)'],
  ['root', 'output / loss (backward root)'],
  ['constant', 'constant (no grad)'],
  ['scope', 'collapsed scope (click to expand)'],
];

export class Legend {
  readonly element: HTMLDetailsElement;
  private readonly body: HTMLElement;

  constructor() {
    this.body = h('div', { class: 'gs-legend-body' });
    this.element = h('details', { class: 'gs-legend', id: 'gs-legend' }, h('summary', null, 'Legend'), this.body);
    // In a narrow panel the graph gets every pixel first; the legend is one click away.
    this.element.open = !window.matchMedia(NARROW_PANEL_QUERY).matches;
  }

  render(p: Palette, flow: { lo: number; hi: number; vanishing: number; exploding: number } | null): void {
    clear(this.body);
    const swatch = (fill: string, border: string, dashed: boolean): HTMLElement => {
      const s = h('span', { class: `gs-swatch${dashed ? ' gs-swatch-dashed' : ''}`, attrs: { 'aria-hidden': 'true' } });
      s.style.backgroundColor = fill;
      s.style.borderColor = border;
      return s;
    };
    this.body.appendChild(h('ul', { class: 'gs-legend-list' }, ...KINDS.map(([k, text]) => h('li', null, swatch(p.kinds[k].fill, p.kinds[k].border, k === 'constant' || k === 'scope'), ` ${text}`))));
    if (flow) {
      const ramp = h('span', { class: 'gs-ramp', attrs: { 'aria-hidden': 'true' } });
      ramp.style.backgroundImage = `linear-gradient(to right, ${p.gradLow}, ${p.gradMid}, ${p.gradHigh})`;
      this.body.appendChild(
        h(
          'div',
          { class: 'gs-legend-flow' },
          h('div', null, 'Gradient norm along edges (log scale)'),
          h('div', { class: 'gs-ramp-row' }, h('span', null, num(10 ** flow.lo)), ramp, h('span', null, num(10 ** flow.hi))),
          h('div', null, `dashed: vanishing (< 1e-7) · ${flow.vanishing} edges; magenta: exploding or non-finite · ${flow.exploding} edges`),
        ),
      );
    }
  }
}
