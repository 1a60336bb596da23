/** Training loops: which kept iteration's values the details and the gradient colouring show. */
import type { Page } from './page';

export class IterationController {
  constructor(private readonly page: Page) {}

  /** A new graph: its last kept iteration (the snapshot's own values). */
  reset(): void {
    const { state, views } = this.page;
    const its = state.model?.snapshot.iterations ?? null;
    const frames = its?.frames ?? [];
    state.frameIndex = frames.length ? frames.length - 1 : -1;
    views.iterationBar.set(frames.map((f) => f.iteration), its?.count ?? 0, Math.max(0, state.frameIndex));
  }

  setFrame(index: number): void {
    const { state } = this.page;
    state.frameIndex = index;
    this.page.details.render();
    if (state.gradFlow) this.page.gradientFlow.apply();
    const frame = state.model?.snapshot.iterations?.frames[index];
    if (frame) this.page.announce(`Showing iteration ${frame.iteration}.`);
  }
}
