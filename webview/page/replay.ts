/**
 * The backward replay: steps through the nodes in the order autograd ran them, selecting each (the
 * details pane explains the step) and marking what is done and what is to come.
 */
import type { Page } from './page';

const REPLAY_INTERVAL_MS = 1100;

export class ReplayController {
  constructor(private readonly page: Page) {}

  toggle(): void {
    if (this.page.state.replay) this.stop();
    else this.start();
  }

  start(): void {
    const { state, views } = this.page;
    const model = state.model;
    if (!model) return;
    if (!model.backwardSteps.length) {
      this.page.announce('No backward pass was recorded for this graph.');
      return;
    }
    state.replay = { step: 0, playing: false, timer: 0 };
    views.toolbar.setReplay(true);
    views.replayBar.show(true);
    this.go(0);
  }

  stop(): void {
    const { state, views } = this.page;
    const was = state.replay;
    if (was) clearInterval(was.timer);
    state.replay = null;
    views.toolbar.setReplay(false);
    views.replayBar.show(false);
    if (was) {
      this.page.flags.applyReplay();
      this.page.details.render();
    }
  }

  go(step: number): void {
    const { state, views } = this.page;
    const model = state.model;
    const r = state.replay;
    if (!model || !r) return;
    const total = model.backwardSteps.length;
    r.step = Math.max(0, Math.min(total - 1, step));
    const node = model.backwardSteps[r.step];
    views.replayBar.update(r.step, total, model.displayName(node), r.playing);
    this.page.flags.applyReplay();
    this.page.selection.select({ kind: 'node', node }, { post: true });
    this.page.selection.reveal([node]);
    if (r.playing && r.step === total - 1) this.togglePlay();
  }

  togglePlay(): void {
    const { state, views } = this.page;
    const r = state.replay;
    const model = state.model;
    if (!r || !model) return;
    r.playing = !r.playing;
    clearInterval(r.timer);
    if (r.playing) {
      if (r.step >= model.backwardSteps.length - 1) r.step = -1;
      r.timer = window.setInterval(() => this.go((state.replay?.step ?? 0) + 1), REPLAY_INTERVAL_MS);
      this.go(r.step + 1);
    } else views.replayBar.update(r.step, model.backwardSteps.length, model.displayName(model.backwardSteps[r.step]), false);
  }
}
