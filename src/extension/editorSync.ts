/**
 * Editor → graph: when the user moves the cursor in a file the last run covered, the nodes
 * created or bound on that line are highlighted in the graph views. Only cursor moves the user
 * made count (keyboard, mouse): selections we set ourselves (revealing a node's source) must not
 * bounce back and replace the node the user just clicked.
 */
import * as vscode from 'vscode';
import type { GraphHub } from './graphHub';
import type { RunState } from './runState';

const DEBOUNCE_MS = 120;

export function syncCursorToGraph(state: RunState, hub: GraphHub): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastKey = '';
  const listener = vscode.window.onDidChangeTextEditorSelection((e) => {
    if (e.kind !== vscode.TextEditorSelectionChangeKind.Keyboard && e.kind !== vscode.TextEditorSelectionChangeKind.Mouse) return;
    if (hub.viewCount === 0) return;
    const found = state.indexFor(e.textEditor.document);
    if (!found) return;
    const file = e.textEditor.document.uri.fsPath;
    const line = e.selections[0].active.line + 1;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const key = `${state.latest?.result.runId}:${file}:${line}`;
      if (key === lastKey) return;
      lastKey = key;
      hub.selectNodes(found.index.nodesOnLine(file, line));
    }, DEBOUNCE_MS);
  });
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    listener.dispose();
  });
}
