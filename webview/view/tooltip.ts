/** The hover tooltip over the canvas (text only). */
import { h } from '../util/dom';

export class Tooltip {
  readonly element: HTMLElement;
  constructor() {
    this.element = h('div', { class: 'gs-tooltip', role: 'tooltip', hidden: true });
  }
  show(text: string, x: number, y: number, bounds: DOMRect): void {
    this.element.textContent = text;
    this.element.hidden = false;
    this.element.style.left = `${Math.min(x - bounds.left + 14, bounds.width - 260)}px`;
    this.element.style.top = `${y - bounds.top + 14}px`;
  }
  hide(): void {
    this.element.hidden = true;
  }
}
