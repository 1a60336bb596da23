/**
 * Cytoscape stylesheet built from the theme palette. Kinds follow torchviz's colours (leaves blue, ops
 * grey, outputs green) adapted per theme in media/graph.css; states are classes so that changing a
 * selection or a search touches classes only (cheap, batched).
 * Order matters: for equal selectors the later block wins, so states that must show through (the
 * replay's current node, the selection) come last.
 */
import type cytoscape from 'cytoscape';
import { LABEL_FONT_SIZE } from './scene';
import { opaque, type NodeKindStyle, type Palette } from './palette';

/** Below this on-screen font size labels are not drawn (level of detail when zoomed out). */
export const MIN_ZOOMED_FONT_SIZE = 7;

/**
 * Whether Cytoscape draws node labels at this zoom. NOTE: it compares the font size scaled by the zoom
 * rounded up to a power of two (its texture level, times the device pixel ratio) with
 * `min-zoomed-font-size`, so labels stay up to half the zoom a plain product would suggest.
 */
export function cyDrawsLabels(zoom: number, pixelRatio: number): boolean {
  const level = Math.pow(2, Math.ceil(Math.log2(Math.max(1e-9, zoom * pixelRatio))));
  return LABEL_FONT_SIZE * level >= MIN_ZOOMED_FONT_SIZE;
}

export function cyStylesheet(p: Palette): cytoscape.StylesheetJson {
  const c = (x: string): string => opaque(x, p.background);
  const kind = (k: NodeKindStyle): cytoscape.StylesheetJsonBlock => ({
    selector: `node.k-${k}`,
    style: { 'background-color': c(p.kinds[k].fill), color: c(p.kinds[k].text), 'border-color': c(p.kinds[k].border) },
  });
  return [
    {
      selector: 'node',
      style: {
        shape: 'round-rectangle',
        width: 'data(w)',
        height: 'data(h)',
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '2000px',
        'text-valign': 'center',
        'text-halign': 'center',
        'font-family': p.monoFamily,
        'font-size': LABEL_FONT_SIZE,
        'line-height': 1.27,
        'min-zoomed-font-size': MIN_ZOOMED_FONT_SIZE,
        'border-width': 1,
        'border-style': 'solid',
      },
    },
    kind('op'),
    kind('leaf'),
    kind('root'),
    kind('constant'),
    kind('scope'),
    { selector: 'node.k-constant', style: { 'border-style': 'dashed' } },
    { selector: 'node.k-scope', style: { shape: 'cut-rectangle', 'border-style': 'double', 'border-width': 4 } },
    {
      selector: 'edge',
      style: {
        width: 1.4,
        'curve-style': 'bezier',
        'line-color': c(p.edge),
        'target-arrow-color': c(p.edge),
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
      },
    },
    {
      // Long edges bend through the layout's dummy nodes.
      selector: 'edge.routed',
      style: {
        'curve-style': 'round-segments',
        'edge-distances': 'node-position',
        'segment-weights': 'data(sw)',
        'segment-distances': 'data(sd)',
        'segment-radii': [12],
      },
    },
    { selector: 'edge.gflow', style: { 'line-color': 'data(gc)', 'target-arrow-color': 'data(gc)', width: 'data(gw)' } },
    { selector: 'edge.gvanish', style: { 'line-style': 'dashed' } },
    { selector: 'edge.hl', style: { 'line-color': c(p.selection), 'target-arrow-color': c(p.selection), width: 2.6, 'z-index': 5 } },
    { selector: 'edge.rflow', style: { 'line-color': c(p.replay), 'target-arrow-color': c(p.replay), width: 3.2, 'z-index': 6 } },
    { selector: 'node.linked', style: { 'border-color': c(p.linked), 'border-width': 3, 'underlay-color': c(p.linked), 'underlay-opacity': 0.3, 'underlay-padding': 5 } },
    { selector: 'node.match', style: { 'underlay-color': c(p.match), 'underlay-opacity': 0.55, 'underlay-padding': 5 } },
    { selector: 'node.match-current', style: { 'underlay-opacity': 0.9, 'underlay-padding': 7 } },
    { selector: '.dim', style: { opacity: 0.22 } },
    { selector: 'node.rpend', style: { opacity: 0.35 } },
    { selector: 'node.rdone', style: { 'border-width': 2, 'border-color': c(p.replay) } },
    { selector: 'node.rcur', style: { 'border-width': 4, 'border-color': c(p.replay), 'underlay-color': c(p.replay), 'underlay-opacity': 0.35, 'underlay-padding': 8, opacity: 1 } },
    { selector: 'node.sel', style: { 'border-width': 3, 'border-color': c(p.selection), 'underlay-color': c(p.selection), 'underlay-opacity': 0.3, 'underlay-padding': 6, opacity: 1 } },
  ];
}
