/**
 * The colours the canvas, the overview, the legend and the exports draw with, read from CSS custom
 * properties (media/graph.css maps VS Code's `--vscode-*` theme colours, with torchviz-like fallbacks
 * per theme), so the graph follows light, dark and high-contrast themes.
 */

export interface KindColors {
  fill: string;
  text: string;
  border: string;
}

export type NodeKindStyle = 'op' | 'leaf' | 'root' | 'constant' | 'scope';

export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  edge: string;
  selection: string;
  match: string;
  linked: string;
  replay: string;
  fontFamily: string;
  monoFamily: string;
  kinds: Record<NodeKindStyle, KindColors>;
  /** Gradient-magnitude ramp, small → large (log scale). */
  gradLow: string;
  gradMid: string;
  gradHigh: string;
  /** Gradient exactly zero or below the vanishing threshold / non-finite or above the exploding one. */
  gradVanish: string;
  gradExplode: string;
  /** Heat maps: negative, zero, positive, NaN. */
  heatNegative: string;
  heatZero: string;
  heatPositive: string;
  heatNaN: string;
}

const KIND_NAMES: readonly NodeKindStyle[] = ['op', 'leaf', 'root', 'constant', 'scope'];

export function readPalette(root: HTMLElement = document.body): Palette {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const kinds = {} as Record<NodeKindStyle, KindColors>;
  for (const k of KIND_NAMES) {
    kinds[k] = { fill: v(`--gs-${k}-fill`, '#d3d3d3'), text: v(`--gs-${k}-text`, '#000000'), border: v(`--gs-${k}-border`, '#888888') };
  }
  return {
    background: v('--gs-bg', '#ffffff'),
    foreground: v('--gs-fg', '#1e1e1e'),
    muted: v('--gs-muted', '#777777'),
    edge: v('--gs-edge', '#888888'),
    selection: v('--gs-selection', '#0078d4'),
    match: v('--gs-match', '#f2b600'),
    linked: v('--gs-linked', '#b180d7'),
    replay: v('--gs-replay', '#e51400'),
    fontFamily: v('--gs-font', 'sans-serif'),
    monoFamily: v('--gs-mono', 'monospace'),
    kinds,
    gradLow: v('--gs-grad-low', '#3b4cc0'),
    gradMid: v('--gs-grad-mid', '#8c8c8c'),
    gradHigh: v('--gs-grad-high', '#d62728'),
    gradVanish: v('--gs-grad-vanish', '#a0a0a0'),
    gradExplode: v('--gs-grad-explode', '#ff00ff'),
    heatNegative: v('--gs-heat-neg', '#3b4cc0'),
    heatZero: v('--gs-heat-zero', '#f7f7f7'),
    heatPositive: v('--gs-heat-pos', '#b40426'),
    heatNaN: v('--gs-heat-nan', '#ff00ff'),
  };
}

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` and `rgb()/rgba()` into 0..255 channels (alpha 0..1). */
export function parseColor(c: string): [number, number, number, number] {
  const s = c.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [parseInt(m[1][0] + m[1][0], 16), parseInt(m[1][1] + m[1][1], 16), parseInt(m[1][2] + m[1][2], 16), 1];
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16), m[2] ? parseInt(m[2], 16) / 255 : 1];
  m = /^rgba?\(([^)]+)\)$/i.exec(s);
  if (m) {
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0] || 0, p[1] || 0, p[2] || 0, p.length > 3 && Number.isFinite(p[3]) ? p[3] : 1];
  }
  return [128, 128, 128, 1];
}

/** Linear mix of two colours (t = 0 → a, 1 → b), as `rgb()` text. */
export function mix(a: string, b: string, t: number): string {
  const x = parseColor(a);
  const y = parseColor(b);
  const u = Math.max(0, Math.min(1, t));
  const ch = (i: number): number => Math.round(x[i] + (y[i] - x[i]) * u);
  return `rgb(${ch(0)}, ${ch(1)}, ${ch(2)})`;
}

/** Cytoscape and SVG take plain colours: drop alpha (VS Code colours often carry one) over the background. */
export function opaque(c: string, background: string): string {
  const [r, g, b, a] = parseColor(c);
  if (a >= 1) return `rgb(${r}, ${g}, ${b})`;
  const [br, bg, bb] = parseColor(background);
  return `rgb(${Math.round(r * a + br * (1 - a))}, ${Math.round(g * a + bg * (1 - a))}, ${Math.round(b * a + bb * (1 - a))})`;
}
