/**
 * The hover card of a tensor as a list of segments, pure data: `md` is Markdown we wrote,
 * `text` and `code` come from the script (names, printed values) and must be escaped by whoever
 * renders them (see hoverMarkdown.ts). Keeping the wording here lets it be read in one place.
 */
import type { Binding, GraphNode, TensorData, TensorStats } from '../protocol/snapshot';

export type Segment = { md: string } | { text: string } | { code: string };

/** Printed values longer than this are cut (the hover is a glance; the graph has the rest). */
export const MAX_VALUE_LINES = 8;
export const MAX_LINE_CHARS = 120;

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A number as the stats line shows it: 4 significant digits, no trailing zeros. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-4) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** PyTorch's printed tensor, cut to a glanceable size. */
export function truncateText(text: string, maxLines = MAX_VALUE_LINES, maxChars = MAX_LINE_CHARS): string {
  const lines = text.split('\n').map((l) => (l.length > maxChars ? `${l.slice(0, maxChars - 1)}…` : l));
  if (lines.length <= maxLines) return lines.join('\n');
  const head = lines.slice(0, maxLines - 2);
  const tail = lines.slice(-1);
  return [...head, `… ${lines.length - head.length - tail.length} more lines …`, ...tail].join('\n');
}

export function formatStats(s: TensorStats): string {
  const parts = [
    `min ${formatNumber(s.min)}`, `max ${formatNumber(s.max)}`, `mean ${formatNumber(s.mean)}`,
    `std ${formatNumber(s.std)}`, `‖·‖ ${formatNumber(s.norm)}`,
  ];
  if (s.nanCount) parts.push(`${s.nanCount} NaN`);
  if (s.infCount) parts.push(`${s.infCount} inf`);
  return parts.join(' · ');
}

const numel = (t: TensorData): number => t.shape.reduce((a, b) => a * b, 1);

function valueSegments(title: string, t: TensorData): Segment[] {
  const out: Segment[] = [{ md: `**${title}**` }];
  if (t.truncated && numel(t) > t.values.length) out.push({ md: ` _(first ${t.values.length} of ${numel(t)} values captured)_` });
  out.push({ code: truncateText(t.text) });
  return out;
}

/** One line per tensor with more than one element: its statistics (the printed values may be cut). */
function statsSegments(title: string, t: TensorData | null): Segment[] {
  if (!t?.stats || numel(t) <= 1) return [];
  return [{ md: `${title}: ` }, { text: formatStats(t.stats) }, { md: '\n\n' }];
}

export interface HoverSubject {
  /** The name as written in the script. */
  name: string;
  aspect: 'value' | 'grad';
  binding: Binding;
  node: GraphNode;
  /** The file changed since the run: the values may not match the text any more. */
  stale: boolean;
}

/** Command id of "Show in graph" (package.json contributes it). */
export const SHOW_NODE_COMMAND = 'gradscope.showNode';

export function hoverSegments(s: HoverSubject): Segment[] {
  const { node, binding } = s;
  const t = node.tensor;
  const out: Segment[] = [];
  out.push({ md: '**' }, { text: s.aspect === 'grad' ? `${s.name}.grad` : s.name }, { md: '**' });
  out.push({ md: ` · \`${formatShape(t.shape)}\` · ${t.dtype}` });
  if (binding.count > 1) out.push({ md: ` · assigned ${binding.count}× (last value)` });
  out.push({ md: '  \n' }); // a hard line break: the header stays one compact paragraph

  const gradFn = node.kind === 'op' ? node.label : null;
  out.push({ md: `requires_grad=${node.requiresGrad ? 'True' : 'False'} · is_leaf=${node.isLeaf ? 'True' : 'False'} · grad_fn=` });
  out.push(gradFn ? { text: `<${gradFn}>` } : { md: 'None' });
  out.push({ md: '\n\n' });

  // The values first, then the gradient, then the statistics: the gradient must stay within the
  // hover's first screen (VS Code caps its height).
  const gradTitle = node.isLeaf ? 'grad' : 'gradient (from backward)';
  const valueFirst = s.aspect === 'value';
  if (!valueFirst) out.push(...(node.grad ? valueSegments('grad', node.grad) : [{ md: `**grad**: None${node.isLeaf ? '' : ' (not a leaf)'}\n\n` }]));
  out.push(...valueSegments('value', t));
  if (valueFirst) {
    if (node.grad) out.push(...valueSegments(gradTitle, node.grad));
    else if (node.isLeaf && node.requiresGrad) out.push({ md: '**grad**: None (backward has not reached it)\n\n' });
  }
  out.push(...statsSegments('value', t), ...statsSegments(valueFirst ? gradTitle : 'grad', node.grad));
  if (s.stale) out.push({ md: '_The file changed since this run: values may not match the text._\n\n' });
  const args = encodeURIComponent(JSON.stringify([node.id]));
  out.push({ md: `[Show in graph](command:${SHOW_NODE_COMMAND}?${args} "Reveal this tensor in the Gradscope graph")` });
  return out;
}
