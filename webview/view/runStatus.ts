/** The line under the toolbar saying how the run went (VS Code): running, ran in N ms, or the error. */
import type { SourceLocation } from '../../src/protocol/snapshot';
import type { RunSummary } from '../protocol';
import { clear, h } from '../util/dom';
import { baseName } from '../util/format';
import { locationButton } from './details';

export class RunStatusView {
  readonly element: HTMLElement;

  constructor(private readonly openSource: (location: SourceLocation) => void) {
    this.element = h('div', { class: 'gs-run-status', id: 'gs-run-status', role: 'status', hidden: true });
  }

  running(file: string): void {
    this.show('running');
    this.element.append(`Running ${baseName(file)}…`);
  }

  /** `keepsPrevious`: this run produced no graph, so the previous one stays on screen. */
  finished(run: RunSummary, keepsPrevious: boolean): void {
    this.show(run.status);
    const took = `${Math.round(run.durationMs)} ms`;
    const err = run.error;
    if (run.status === 'ok' || !err) {
      this.element.append(`${baseName(run.file)} · ${run.status === 'ok' ? 'ran' : run.status} in ${took}`);
      return;
    }
    const location = err.location;
    this.element.append(
      h('strong', null, run.status === 'error' ? `${err.pyType ?? err.name}: ` : `${run.status}: `),
      err.message,
      location ? ' ' : '',
      location ? locationButton(location, () => this.openSource(location)) : '',
    );
    if (keepsPrevious) this.element.append(h('span', { class: 'gs-meta' }, ' (showing the previous graph)'));
  }

  private show(state: string): void {
    this.element.hidden = false;
    this.element.dataset.state = state;
    clear(this.element);
  }
}
