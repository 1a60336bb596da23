/** Training loops: a slider over the iterations whose values were kept. */
import { h } from '../util/dom';

export class IterationBar {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly label: HTMLElement;
  private iterations: number[] = [];
  private count = 0;

  constructor(onChange: (frameIndex: number) => void) {
    this.slider = h('input', { type: 'range', class: 'gs-range', id: 'gs-iteration', attrs: { min: 0, max: 0, value: 0, 'aria-label': 'Iteration' } });
    this.label = h('span', { class: 'gs-iteration-label', id: 'gs-iteration-label', attrs: { 'aria-live': 'polite' } });
    this.slider.addEventListener('input', () => {
      this.updateLabel(Number(this.slider.value));
      onChange(Number(this.slider.value));
    });
    this.element = h('div', { class: 'gs-bar gs-iteration-bar', role: 'group', hidden: true, attrs: { 'aria-label': 'Iterations' } }, h('label', { attrs: { for: 'gs-iteration' } }, 'Iteration'), this.slider, this.label);
  }

  /** `iterations`: the kept frames' iteration numbers; `count`: backward calls in the whole run. */
  set(iterations: number[], count: number, index: number): void {
    this.iterations = iterations;
    this.count = count;
    this.element.hidden = iterations.length === 0;
    this.slider.max = String(Math.max(0, iterations.length - 1));
    this.slider.value = String(index);
    this.slider.setAttribute('aria-valuetext', this.text(index));
    this.updateLabel(index);
  }

  private text(index: number): string {
    const it = this.iterations[index];
    return it === undefined ? '' : `iteration ${it} (${index + 1} of ${this.iterations.length} kept; ${this.count} in the run)`;
  }

  private updateLabel(index: number): void {
    this.label.textContent = this.text(index);
    this.slider.setAttribute('aria-valuetext', this.text(index));
  }
}
