/**
 * Rebuilding what is on screen: visible graph (boxes, focus) → scene (labels measured) → layout (in the
 * worker) → canvas, then every state re-applied and the panes refreshed. Builds overtaken by a newer
 * one stop at their next await. Records what each step cost (tests, the benchmark).
 */
import type { LayoutRunner } from '../layout/layoutClient';
import { focusFilter } from '../model/focus';
import { buildVisibleGraph } from '../model/visibleGraph';
import { scopeHulls } from '../view/hulls';
import { sceneClusters } from '../view/sceneClusters';
import { applyLayout, buildScene, LabelMeasurer, layoutInputOf } from '../view/scene';
import type { Page } from './page';

export interface Timings {
  /** Milliseconds per step of the last build (model, scene, layout round trip, canvas, frame). */
  phases: Record<string, number>;
  layoutMs: number;
  layoutMode: string;
  /** From receiving the graph to its first frame on screen. */
  firstFrameMs: number;
  sceneNodes: number;
  sceneEdges: number;
  windowed: boolean;
}

export interface RebuildOptions {
  /** Keep the user's viewport (a box opened or closed) instead of framing the new scene. */
  keepViewport: boolean;
  /** Model nodes to bring into view afterwards. */
  reveal: number[] | null;
  /** When the graph arrived and when its model was built (first build of a graph: the timings). */
  receivedAt?: number;
  started?: number;
}

export class GraphRenderer {
  private generation = 0;
  timings: Timings | null = null;

  constructor(
    private readonly page: Page,
    private readonly layout: LayoutRunner,
    private readonly measurer: LabelMeasurer,
  ) {}

  async rebuild(opts: RebuildOptions): Promise<void> {
    const { state, views, root } = this.page;
    const model = state.model;
    if (!model) return;
    const gen = ++this.generation;
    const started = opts.receivedAt ?? opts.started ?? performance.now();
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const phase = (name: string): void => {
      const now = performance.now();
      phases[name] = now - mark;
      mark = now;
    };
    if (opts.receivedAt !== undefined && opts.started !== undefined) phases.validate = opts.started - opts.receivedAt;
    if (opts.started !== undefined) phases.model = mark - opts.started;
    root.dataset.graphState = 'layout';

    const keep = focusFilter(model, state.focusMode, state.focusFrom);
    const visible = buildVisibleGraph(model, state.collapsed, keep);
    phase('visible');
    const scene = buildScene(model, visible, this.measurer);
    phase('scene');
    const layout = await this.layout.run(layoutInputOf(scene, model, visible, sceneClusters(model, visible, this.measurer)));
    if (gen !== this.generation) return;
    phase('layout');
    applyLayout(scene, layout);
    state.setScene(visible, scene, layout.layer, keep);
    const shown = views.graph.setScene(scene, opts.keepViewport ? views.graph.viewport() : null);
    views.graph.setHulls(scopeHulls(model, visible, scene, state.collapsed, this.measurer));
    phase('canvas');
    await shown;
    if (gen !== this.generation) return;
    phase('frame');
    this.page.flags.applyAll();
    this.page.gradientFlow.apply();
    if (opts.reveal) this.page.selection.reveal(opts.reveal);
    await views.graph.nextFrame();
    if (gen !== this.generation) return;
    phase('states');
    this.timings = {
      phases,
      layoutMs: layout.ms,
      layoutMode: this.layout.mode,
      firstFrameMs: performance.now() - started,
      sceneNodes: scene.nodes.length,
      sceneEdges: scene.edges.length,
      windowed: views.graph.isWindowed,
    };
    root.dataset.graphState = 'ready';
    root.dataset.sceneNodes = String(scene.nodes.length);
    this.page.details.render();
    this.page.savedState.save();
    views.outline.render(model, state.collapsed, keep);
    views.outline.setSelected(state.outlineTarget(), true);
    this.page.search.show();
  }
}
