/**
 * A failed run as a problem on the exact expression that failed, with the library's (PyTorch's)
 * message; cleared by the next run that gets past it.
 */
import * as vscode from 'vscode';
import type { SourceLocation } from '../protocol/snapshot';
import type { RunResult } from '../runner/runScript';
import { callExtent } from './callExtent';

/**
 * 1-based snapshot location → VS Code range. Without an end: the call expression there
 * (`torch.matmul(doubled, b)`), else the word, else the rest of the line.
 */
export function rangeOf(location: SourceLocation, document?: vscode.TextDocument): vscode.Range {
  const start = new vscode.Position(location.line - 1, Math.max(0, location.column - 1));
  if (location.endLine !== undefined && location.endColumn !== undefined) {
    const end = new vscode.Position(location.endLine - 1, Math.max(0, location.endColumn - 1));
    if (end.isAfter(start)) return new vscode.Range(start, end);
  }
  if (document && start.line < document.lineCount) {
    const call = callExtent(document.lineAt(start.line).text, start.character);
    if (call) return new vscode.Range(start.line, call.start, start.line, call.end);
    const word = document.getWordRangeAtPosition(start);
    if (word) return word;
    return new vscode.Range(start, document.lineAt(start.line).range.end);
  }
  return new vscode.Range(start, start.translate(0, 1));
}

export class RunDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gradscope');

  /** Replaces the problems with those of `result` (none for a clean run; kept for a cancelled one). */
  async update(result: RunResult): Promise<void> {
    if (result.status === 'cancelled') return;
    this.collection.clear();
    const error = result.error;
    if (!error?.location || result.status === 'ok') return;
    const uri = vscode.Uri.file(error.location.file);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath)
      ?? await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => undefined);
    const diagnostic = new vscode.Diagnostic(rangeOf(error.location, document), error.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Gradscope';
    diagnostic.code = error.pyType ?? error.name;
    this.collection.set(uri, [diagnostic]);
  }

  clear(): void {
    this.collection.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}
