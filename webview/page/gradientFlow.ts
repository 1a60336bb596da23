/** The gradient-flow view: edges coloured and sized by the gradient norm along them, with its legend. */
import { gradientFlowStyle, type GradientFlow } from '../view/gradientFlowStyle';
import type { Page } from './page';

export class GradientFlowController {
  constructor(private readonly page: Page) {}

  set(on: boolean): void {
    const { state, views } = this.page;
    state.gradFlow = on;
    views.toolbar.setGradientFlow(on);
    this.apply();
    this.page.savedState.save();
    this.page.announce(on ? 'Edges coloured by gradient norm.' : 'Gradient colouring off.');
  }

  /** The styles for the current scene and iteration (null when off or nothing is shown). */
  style(): GradientFlow | null {
    const { state } = this.page;
    if (!state.gradFlow || !state.model || !state.scene) return null;
    return gradientFlowStyle(state.model, state.scene, state.currentFrame()?.grads ?? null, this.page.palette);
  }

  /** Re-colours the canvas and the legend (after a new scene, iteration or theme). */
  apply(): void {
    const flow = this.style();
    this.page.views.graph.setGradientFlow(flow?.style ?? null);
    this.page.views.legend.render(this.page.palette, flow ? flow.legend : null);
  }
}
