/**
 * The page's state, as data: the graph on screen (model, visible graph, laid-out scene) and what the
 * user chose (collapsed scopes, focus, selection, search, replay, gradient colouring, iteration).
 * Controllers change it; views never read it directly (they get what they draw).
 */
import type { FocusMode } from '../model/focus';
import type { GraphModel } from '../model/graphModel';
import type { VisibleGraph } from '../model/visibleGraph';
import type { FrameView } from '../view/details';
import type { OutlineTarget } from '../view/outline';
import type { Scene } from '../view/scene';

export type Selection = { kind: 'node'; node: number } | { kind: 'scope'; key: string } | { kind: 'edge'; edge: number } | null;

export interface ReplayState {
  /** Index into the model's backward steps. */
  step: number;
  playing: boolean;
  timer: number;
}

export interface SearchState {
  query: string;
  /** Model node indices, in outline order. */
  matches: number[];
  /** Index into `matches` (-1: none). */
  current: number;
}

export class PageState {
  model: GraphModel | null = null;
  visible: VisibleGraph | null = null;
  scene: Scene | null = null;
  /** Layout row per scene node. */
  sceneLayer: Int32Array = new Int32Array(0);
  /** Scene edges into / out of each scene node. */
  sceneIn: number[][] = [];
  sceneOut: number[][] = [];
  /** Nodes kept by the focus filter (null: all). */
  keep: Uint8Array | null = null;

  collapsed = new Set<string>();
  focusMode: FocusMode = 'none';
  /** The nodes "selection → loss" started from (model indices). */
  focusFrom: number[] = [];
  selection: Selection = null;
  search: SearchState = { query: '', matches: [], current: -1 };
  /** Nodes the editor asked to highlight (its cursor line). */
  linked: number[] = [];
  replay: ReplayState | null = null;
  gradFlow = false;
  /** Index into the snapshot's iteration frames (-1: not a training loop). */
  frameIndex = -1;

  /** Takes a freshly laid-out scene. */
  setScene(visible: VisibleGraph, scene: Scene, layer: Int32Array, keep: Uint8Array | null): void {
    this.visible = visible;
    this.scene = scene;
    this.keep = keep;
    this.sceneLayer = layer;
    this.sceneIn = scene.nodes.map(() => []);
    this.sceneOut = scene.nodes.map(() => []);
    scene.edges.forEach((e, j) => {
      this.sceneOut[e.source].push(j);
      this.sceneIn[e.target].push(j);
    });
  }

  /** The scene item drawing a model node (-1: filtered out). */
  itemOf(node: number): number {
    return this.visible ? this.visible.itemOfNode[node] : -1;
  }

  /** The scene item of a collapsed box (-1: not on screen as a box). */
  boxItemOf(scopeKey: string): number {
    return this.scene ? this.scene.nodes.findIndex((n) => n.scopeKey === scopeKey) : -1;
  }

  selectedItem(): number {
    const s = this.selection;
    if (!s || !this.scene) return -1;
    if (s.kind === 'node') return this.itemOf(s.node);
    if (s.kind === 'scope') return this.boxItemOf(s.key);
    return -1;
  }

  outlineTarget(): OutlineTarget | null {
    const s = this.selection;
    if (s?.kind === 'node') return { kind: 'node', node: s.node };
    if (s?.kind === 'scope') return { kind: 'scope', key: s.key };
    return null;
  }

  /** The frame whose values to show, or null for the snapshot's own (the last) values. */
  currentFrame(): FrameView | null {
    const frames = this.model?.snapshot.iterations?.frames;
    if (!frames || this.frameIndex < 0 || this.frameIndex >= frames.length) return null;
    // The last kept frame is the snapshot's own data: show that directly (edge gradients included).
    if (this.frameIndex === frames.length - 1) return null;
    return frames[this.frameIndex];
  }

  /** The iteration number shown (training loops), also when it is the snapshot's own. */
  shownIteration(): number | null {
    return this.model?.snapshot.iterations?.frames[this.frameIndex]?.iteration ?? null;
  }
}
