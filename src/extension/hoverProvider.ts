/**
 * Hovering a variable that the last run bound to a tensor — where it is declared or anywhere it
 * is used later, and `w.grad` — shows the tensor: shape, dtype, autograd flags, values as PyTorch
 * prints them, gradient, statistics, and a link to it in the graph.
 */
import * as vscode from 'vscode';
import { hoverSegments } from './hoverContent';
import { toMarkdown } from './hoverMarkdown';
import { hoveredName } from './identifierAt';
import type { RunState } from './runState';

export class TensorHoverProvider implements vscode.HoverProvider {
  constructor(private readonly state: RunState) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.state.indexFor(document);
    if (!found) return undefined;
    const line = document.lineAt(position.line).text;
    const hovered = hoveredName(line, position.character);
    if (!hovered) return undefined;
    // Snapshot positions are 1-based; a use at the declaration's own identifier counts as "at or after" it.
    const binding = found.index.bindingAt(document.uri.fsPath, hovered.name, position.line + 1, hovered.start + 1);
    const node = binding && found.index.node(binding.nodeId);
    if (!binding || !node) return undefined;
    const range = new vscode.Range(position.line, hovered.start, position.line, hovered.end);
    return new vscode.Hover(toMarkdown(hoverSegments({ name: hovered.name, aspect: hovered.aspect, binding, node, stale: found.stale })), range);
  }
}
