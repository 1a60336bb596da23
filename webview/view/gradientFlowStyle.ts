/**
 * The gradient-flow view's edge styles: colour and width from the log of the gradient norm along each
 * drawn edge (the largest of the model edges it stands for), dashed when vanishing, magenta when
 * exploding or non-finite; plus the numbers the legend shows.
 */
import type { TensorData } from '../../src/protocol/snapshot';
import { edgeGradNorms, gradClass, logRange, rampPosition } from '../model/gradFlow';
import type { GraphModel } from '../model/graphModel';
import type { GradientFlowStyle } from './graphView';
import { mix, opaque, type Palette } from './palette';
import type { Scene } from './scene';

export interface GradientFlow {
  style: GradientFlowStyle;
  legend: { lo: number; hi: number; vanishing: number; exploding: number };
}

/** `frameGrads`: an iteration's gradients (node id → tensor) instead of the snapshot's edge gradients. */
export function gradientFlowStyle(model: GraphModel, scene: Scene, frameGrads: Record<string, TensorData | null> | null, p: Palette): GradientFlow {
  const norms = edgeGradNorms(model, frameGrads);
  const sceneNorm = scene.edges.map((e) => {
    let best = NaN;
    for (const m of e.modelEdges) if (!Number.isNaN(norms[m]) && !(norms[m] <= best)) best = norms[m];
    return best;
  });
  const range = logRange(sceneNorm) ?? { lo: 0, hi: 0 };
  const color: string[] = [];
  const width = new Float64Array(scene.edges.length);
  const vanishing = new Uint8Array(scene.edges.length);
  let nVanish = 0;
  let nExplode = 0;
  sceneNorm.forEach((x, j) => {
    const cls = gradClass(x);
    if (cls === 'normal') {
      const t = rampPosition(x, range);
      color.push(t < 0.5 ? mix(p.gradLow, p.gradMid, t * 2) : mix(p.gradMid, p.gradHigh, (t - 0.5) * 2));
      width[j] = 1 + 5 * t;
    } else if (cls === 'vanishing') {
      color.push(opaque(p.gradVanish, p.background));
      width[j] = 1;
      vanishing[j] = 1;
      nVanish++;
    } else if (cls === 'exploding') {
      color.push(opaque(p.gradExplode, p.background));
      width[j] = 6;
      nExplode++;
    } else {
      color.push(opaque(p.edge, p.background));
      width[j] = 1;
    }
  });
  return { style: { color, width, vanishing }, legend: { ...range, vanishing: nVanish, exploding: nExplode } };
}
