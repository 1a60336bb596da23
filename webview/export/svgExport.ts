/**
 * SVG of the current scene (what the canvas shows: collapsed boxes, focus, highlights, gradient flow),
 * written directly from the laid-out scene: every node, not only those on screen, with text as text.
 * Strings are escaped; nothing executable (no scripts, no event attributes, no external references).
 */
import { EDGE_FLAG, NODE_FLAG } from '../view/overview';
import { opaque, type Palette } from '../view/palette';
import { LABEL_FONT_SIZE, LINE_HEIGHT, type Scene, type SceneNode } from '../view/scene';
import { xmlEscape } from './xml';

export interface SvgExportState {
  nodeFlags: Uint16Array;
  edgeFlags: Uint8Array;
  edgeColor: string[] | null;
  edgeWidth: Float64Array | null;
  vanishing: Uint8Array | null;
}

const MARGIN = 20;

/** Where the segment from the box centre towards (tx, ty) leaves the box. */
function boxExit(s: SceneNode, tx: number, ty: number): [number, number] {
  const dx = tx - s.x;
  const dy = ty - s.y;
  if (dx === 0 && dy === 0) return [s.x, s.y];
  const scale = 1 / Math.max(Math.abs(dx) / (s.w / 2), Math.abs(dy) / (s.h / 2));
  return [s.x + dx * Math.min(1, scale), s.y + dy * Math.min(1, scale)];
}

const f = (x: number): string => (Math.round(x * 10) / 10).toString();

export function sceneToSvg(scene: Scene, titleOf: (s: SceneNode) => string, p: Palette, st: SvgExportState, title: string): string {
  const bg = p.background;
  const c = (x: string): string => opaque(x, bg);
  const W = scene.width + 2 * MARGIN;
  const H = scene.height + 2 * MARGIN;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${f(W)}" height="${f(H)}" viewBox="${f(-MARGIN)} ${f(-MARGIN)} ${f(W)} ${f(H)}" font-family="${xmlEscape(p.monoFamily)}" font-size="${LABEL_FONT_SIZE}">`);
  out.push(`<title>${xmlEscape(title)}</title>`);
  const markerColors = new Map<string, string>();
  const marker = (color: string): string => {
    let id = markerColors.get(color);
    if (!id) {
      id = `arrow${markerColors.size}`;
      markerColors.set(color, id);
    }
    return id;
  };
  const edges: string[] = [];
  scene.edges.forEach((e, j) => {
    const s = scene.nodes[e.source];
    const t = scene.nodes[e.target];
    const pts: [number, number][] = [];
    for (let k = 0; k < e.route.length; k += 2) pts.push([e.route[k], e.route[k + 1]]);
    const first = pts[0] ?? [t.x, t.y];
    const last = pts[pts.length - 1] ?? [s.x, s.y];
    const start = boxExit(s, first[0], first[1]);
    const end = boxExit(t, last[0], last[1]);
    const flags = st.edgeFlags[j];
    const color = flags & EDGE_FLAG.rflow ? c(p.replay) : flags & EDGE_FLAG.hl ? c(p.selection) : (st.edgeColor?.[j] ?? c(p.edge));
    const width = flags & (EDGE_FLAG.rflow | EDGE_FLAG.hl) ? 2.6 : (st.edgeWidth?.[j] ?? 1.4);
    const d = [`M${f(start[0])},${f(start[1])}`, ...pts.map(([x, y]) => `L${f(x)},${f(y)}`), `L${f(end[0])},${f(end[1])}`].join(' ');
    const dash = st.vanishing?.[j] ? ' stroke-dasharray="4 3"' : '';
    const opacity = flags & EDGE_FLAG.dim ? ' opacity="0.22"' : '';
    edges.push(`<path class="edge" data-source="${e.source}" data-target="${e.target}" d="${d}" fill="none" stroke="${xmlEscape(color)}" stroke-width="${f(width)}"${dash}${opacity} marker-end="url(#${marker(color)})"/>`);
  });
  out.push('<defs>');
  for (const [color, id] of markerColors) {
    out.push(`<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="${xmlEscape(color)}"/></marker>`);
  }
  out.push('</defs>');
  out.push(`<rect x="${f(-MARGIN)}" y="${f(-MARGIN)}" width="${f(W)}" height="${f(H)}" fill="${xmlEscape(c(bg))}"/>`);
  out.push('<g class="edges">', ...edges, '</g>');
  out.push('<g class="nodes">');
  scene.nodes.forEach((s, i) => {
    const k = p.kinds[s.kind];
    const flags = st.nodeFlags[i];
    const stroke = flags & NODE_FLAG.sel ? c(p.selection) : flags & NODE_FLAG.rcur ? c(p.replay) : flags & NODE_FLAG.linked ? c(p.linked) : c(k.border);
    const strokeWidth = flags & (NODE_FLAG.sel | NODE_FLAG.rcur | NODE_FLAG.linked) ? 3 : s.kind === 'scope' ? 2.5 : 1;
    const dash = s.kind === 'constant' || s.kind === 'scope' ? ' stroke-dasharray="4 2"' : '';
    const opacity = flags & NODE_FLAG.dim ? ' opacity="0.22"' : flags & NODE_FLAG.rpend ? ' opacity="0.35"' : '';
    out.push(`<g class="node k-${s.kind}"${opacity}>`);
    out.push(`<title>${xmlEscape(titleOf(s))}</title>`);
    if (flags & NODE_FLAG.match) out.push(`<rect x="${f(s.x - s.w / 2 - 5)}" y="${f(s.y - s.h / 2 - 5)}" width="${f(s.w + 10)}" height="${f(s.h + 10)}" rx="8" fill="${xmlEscape(c(p.match))}" opacity="0.55"/>`);
    out.push(`<rect x="${f(s.x - s.w / 2)}" y="${f(s.y - s.h / 2)}" width="${f(s.w)}" height="${f(s.h)}" rx="4" fill="${xmlEscape(c(k.fill))}" stroke="${xmlEscape(stroke)}" stroke-width="${strokeWidth}"${dash}/>`);
    const top = s.y - ((s.lines.length - 1) * LINE_HEIGHT) / 2;
    out.push(`<text x="${f(s.x)}" y="${f(top)}" text-anchor="middle" dominant-baseline="central" fill="${xmlEscape(c(k.text))}">`);
    s.lines.forEach((line, li) => out.push(`<tspan x="${f(s.x)}" y="${f(top + li * LINE_HEIGHT)}">${xmlEscape(line)}</tspan>`));
    out.push('</text></g>');
  });
  out.push('</g></svg>');
  return out.join('\n');
}
