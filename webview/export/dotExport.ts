/**
 * Graphviz DOT of the whole graph in torchviz's conventions (`make_dot`): boxes in monospace, leaves
 * that require grad lightblue with `name\n (5, 3)`, backward nodes in Graphviz's default lightgrey with
 * PyTorch's name, outputs darkolivegreen1, edges from each input to the op that consumes it. Additions
 * torchviz does not draw: constants (white, dashed) and scopes as dashed clusters.
 */
import type { GraphModel } from '../model/graphModel';
import type { ScopeInstance } from '../model/scopes';
import { shapeText } from '../util/format';

/** A DOT double-quoted string: `"` and `\` escaped (so Graphviz's `\l`, `\N` stay literal), newlines as \n. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n').replace(/[\u0000-\u001F]/g, ' ')}"`;
}

function nodeStatement(model: GraphModel, i: number): string {
  const node = model.nodes[i];
  const size = shapeText(node.tensor.shape);
  const attrs: string[] = [];
  const isRoot = node.isRoot || model.roots.includes(i);
  if (node.kind === 'op') {
    attrs.push(`label=${dotString(node.varName ? `${node.label}\n${node.varName} ${size}` : `${node.label}\n ${size}`)}`);
    if (isRoot) attrs.push('fillcolor=darkolivegreen1');
  } else if (node.kind === 'leaf') {
    attrs.push(`label=${dotString(`${node.varName ?? node.label}\n ${size}`)}`, isRoot ? 'fillcolor=darkolivegreen1' : 'fillcolor=lightblue');
  } else {
    attrs.push(`label=${dotString(`${node.varName ?? node.label}\n ${size}`)}`, 'fillcolor=white', 'style="filled,dashed"', 'fontcolor=gray35');
  }
  if (node.location) attrs.push(`tooltip=${dotString(`${node.location.file}:${node.location.line}:${node.location.column}`)}`);
  return `${dotString(node.id)} [${attrs.join(' ')}]`;
}

export function modelToDot(model: GraphModel): string {
  const lines: string[] = ['digraph {', '\tgraph [size="12,12"]', '\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]'];
  const inScope = new Uint8Array(model.nodes.length);
  let cluster = 0;
  const emitScope = (s: ScopeInstance, indent: string): void => {
    lines.push(`${indent}subgraph ${dotString(`cluster_${cluster++}`)} {`);
    lines.push(`${indent}\tlabel=${dotString(s.label)} style=dashed fontname=monospace fontsize=10`);
    for (const i of s.members) {
      inScope[i] = 1;
      lines.push(`${indent}\t${nodeStatement(model, i)}`);
    }
    for (const c of s.children) emitScope(c, `${indent}\t`);
    lines.push(`${indent}}`);
  };
  for (const s of model.scopes.roots) emitScope(s, '\t');
  model.nodes.forEach((_, i) => {
    if (!inScope[i]) lines.push(`\t${nodeStatement(model, i)}`);
  });
  model.edges.forEach((e) => lines.push(`\t${dotString(e.source)} -> ${dotString(e.target)}`));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
