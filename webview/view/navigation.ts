/**
 * Keyboard moves on the canvas: up to an input, down to a consumer (the one closest horizontally),
 * left / right to the nearest node on the same row.
 */
import type { Scene } from './scene';

export interface SceneNavigation {
  scene: Scene;
  /** Layout row per scene node. */
  layer: Int32Array;
  /** Scene edges into / out of each scene node. */
  incoming: readonly number[][];
  outgoing: readonly number[][];
}

export function neighbourItem(nav: SceneNavigation, cur: number, key: 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight'): number {
  const { scene } = nav;
  const x = scene.nodes[cur].x;
  const nearest = (cands: number[]): number => cands.reduce((best, c) => (best < 0 || Math.abs(scene.nodes[c].x - x) < Math.abs(scene.nodes[best].x - x) ? c : best), -1);
  if (key === 'ArrowUp') return nearest(nav.incoming[cur].map((j) => scene.edges[j].source));
  if (key === 'ArrowDown') return nearest(nav.outgoing[cur].map((j) => scene.edges[j].target));
  const dir = key === 'ArrowLeft' ? -1 : 1;
  let best = -1;
  for (let i = 0; i < scene.nodes.length; i++) {
    if (nav.layer[i] !== nav.layer[cur] || i === cur) continue;
    const d = (scene.nodes[i].x - x) * dir;
    if (d > 0 && (best < 0 || d < (scene.nodes[best].x - x) * dir)) best = i;
  }
  return best;
}
