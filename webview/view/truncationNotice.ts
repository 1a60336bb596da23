/**
 * The notice shown when the capture left nodes out (its node limit): how many of how many are shown
 * and why. Iterations whose full values were not kept are no news (the iteration bar says which are),
 * so they get no notice.
 */
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { h } from '../util/dom';
import { count } from '../util/format';

/** The notice's text, or null when nothing is missing from the graph. */
export function truncationText(snapshot: GraphSnapshot): string | null {
  const dropped = snapshot.truncation?.droppedNodes ?? 0;
  if (dropped <= 0) return null;
  const shown = snapshot.nodes.length;
  return `Showing ${count(shown)} of ${count(shown + dropped)} nodes: the capture keeps the ${count(shown)} most recently used, so the earliest operations of the run are not in this graph.`;
}

export class TruncationNotice {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('div', { class: 'gs-banner', id: 'gs-truncation', role: 'status', hidden: true });
  }

  show(snapshot: GraphSnapshot): void {
    const text = truncationText(snapshot);
    this.element.hidden = text === null;
    this.element.textContent = text ?? '';
  }
}
