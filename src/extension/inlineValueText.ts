/**
 * The faint end-of-line summary of a tensor a line binds: `loss = 0.6819  ∇ ready`,
 * `w [5, 3]  ‖grad‖=1.234`. Pure text, so it can be read (and changed) in one place.
 */
import type { Binding, GraphNode, TensorData } from '../protocol/snapshot';
import { formatNumber, formatShape } from './hoverContent';

const MAX_CHARS = 80;

/** A one-element tensor's value as PyTorch printed it (`tensor(0.6819)` → `0.6819`). */
export function scalarText(t: TensorData): string | null {
  if (t.shape.reduce((a, b) => a * b, 1) !== 1) return null;
  const printed = /^tensor\(\[*\s*([^\],\s)]+)/.exec(t.text)?.[1];
  if (printed) return printed;
  return t.values.length ? formatNumber(t.values[0]) : null;
}

export function inlineValueText(binding: Binding, node: GraphNode): string {
  const scalar = scalarText(node.tensor);
  const parts = [scalar !== null ? `${binding.name} = ${scalar}` : `${binding.name} ${formatShape(node.tensor.shape)}`];
  if (node.isLeaf && node.grad?.stats) parts.push(`‖grad‖=${formatNumber(node.grad.stats.norm)}`);
  else if (node.isRoot || node.backwardOrder !== null) parts.push('∇ ready');
  if (binding.count > 1) parts.push(`×${binding.count}`);
  const text = parts.join('  ');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
