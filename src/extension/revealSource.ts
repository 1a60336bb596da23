/** Shows a source location from the graph in a text editor, with the expression selected. */
import * as vscode from 'vscode';
import type { SourceLocation } from '../protocol/snapshot';
import { rangeOf } from './diagnostics';

/** The column the user's code was last in (the graph panel sits beside it). */
let lastEditorColumn: vscode.ViewColumn | undefined;

export function trackEditorColumn(): vscode.Disposable {
  lastEditorColumn = vscode.window.activeTextEditor?.viewColumn;
  return vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor?.viewColumn) lastEditorColumn = editor.viewColumn;
  });
}

export async function revealSource(location: SourceLocation, options: { preserveFocus: boolean }): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.file(location.file);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === uri.fsPath);
  const editor = await vscode.window.showTextDocument(uri, {
    viewColumn: visible?.viewColumn ?? lastEditorColumn ?? vscode.ViewColumn.One,
    preserveFocus: options.preserveFocus,
    preview: false,
  });
  const range = rangeOf(location, editor.document);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
