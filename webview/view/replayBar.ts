/** Backward replay controls: previous / play / next over the nodes in the order autograd ran them. */
import { h } from '../util/dom';

export interface ReplayBarActions {
  step(delta: number): void;
  go(index: number): void;
  togglePlay(): void;
  close(): void;
}

export class ReplayBar {
  readonly element: HTMLElement;
  private readonly label: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly playButton: HTMLButtonElement;

  constructor(a: ReplayBarActions) {
    const button = (text: string, title: string, fn: () => void, id: string): HTMLButtonElement =>
      h('button', { class: 'gs-button', type: 'button', id, title, attrs: { 'aria-label': title }, on: { click: fn } }, text);
    this.label = h('span', { class: 'gs-replay-label', id: 'gs-replay-label', attrs: { 'aria-live': 'polite' } });
    this.slider = h('input', { type: 'range', class: 'gs-range', id: 'gs-replay-slider', attrs: { min: 0, max: 0, value: 0, 'aria-label': 'Backward step' } });
    this.slider.addEventListener('input', () => a.go(Number(this.slider.value)));
    this.playButton = button('▶', 'Play', a.togglePlay, 'gs-replay-play');
    this.element = h(
      'div',
      { class: 'gs-bar gs-replay-bar', role: 'group', hidden: true, attrs: { 'aria-label': 'Backward replay' } },
      h('strong', null, 'Backward'),
      button('⏮', 'Previous step', () => a.step(-1), 'gs-replay-prev'),
      this.playButton,
      button('⏭', 'Next step', () => a.step(1), 'gs-replay-next'),
      this.slider,
      this.label,
      button('✕', 'Close the replay', a.close, 'gs-replay-close'),
    );
  }

  show(visible: boolean): void {
    this.element.hidden = !visible;
  }

  update(step: number, total: number, name: string, playing: boolean): void {
    this.slider.max = String(Math.max(0, total - 1));
    this.slider.value = String(step);
    this.label.textContent = total ? `Step ${step + 1} of ${total}: ${name}` : 'No backward pass was recorded.';
    this.playButton.textContent = playing ? '⏸' : '▶';
    this.playButton.title = playing ? 'Pause' : 'Play';
    this.playButton.setAttribute('aria-label', this.playButton.title);
  }
}
