/** Search by name: backward-node name, variable name, forward op, scope names. Case-insensitive. */
import type { GraphModel } from './graphModel';

export function searchNodes(model: GraphModel, query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: number[] = [];
  model.nodes.forEach((node, i) => {
    const hay = [node.label, node.varName ?? '', node.op ?? '', ...node.scope];
    if (hay.some((s) => s.toLowerCase().includes(q))) out.push(i);
  });
  return out;
}
