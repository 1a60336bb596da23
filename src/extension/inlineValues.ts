/**
 * End-of-line values after a run, on the lines that bind tensors. Faint, toggled by a setting and
 * a command; once the file is edited they follow their lines and are marked stale until the next run.
 */
import * as vscode from 'vscode';
import { inlineValueText } from './inlineValueText';
import { shiftLines } from './lineShift';
import type { RunState } from './runState';
import { SETTINGS_SECTION, readSettings } from './settings';

interface LineValue {
  /** 0-based line. */
  line: number;
  text: string;
}

const decorationStyle = (stale: boolean): vscode.DecorationRenderOptions => ({
  after: {
    margin: '0 0 0 2em',
    color: new vscode.ThemeColor('editorInlayHint.foreground'),
    fontStyle: 'italic',
  },
  opacity: stale ? '0.45' : '0.8',
  rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
});

export class InlineValues implements vscode.Disposable {
  private readonly fresh = vscode.window.createTextEditorDecorationType(decorationStyle(false));
  private readonly stale = vscode.window.createTextEditorDecorationType(decorationStyle(true));
  /** file (fsPath) → its values and whether they are stale. */
  private readonly byFile = new Map<string, { values: LineValue[]; stale: boolean }>();
  private enabled: boolean;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly state: RunState) {
    this.enabled = readSettings().inlineValuesEnabled;
    this.subscriptions.push(
      state.onDidFinish(() => this.rebuild()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.inlineValues.enabled`)) this.setEnabled(readSettings().inlineValuesEnabled);
      }),
    );
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** The values currently shown for a file (for tests and the status of the toggle). */
  valuesFor(file: string): readonly { line: number; text: string; stale: boolean }[] {
    const entry = this.byFile.get(file);
    if (!entry || !this.enabled) return [];
    return entry.values.map((v) => ({ ...v, stale: entry.stale }));
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.renderAll();
  }

  private rebuild(): void {
    const index = this.state.latest?.index;
    this.byFile.clear();
    if (index) {
      const entry = this.state.latest!.result.file;
      const files = new Set<string>([entry, ...index.snapshot.bindings.map((b) => b.location.file)]);
      for (const file of files) {
        const lines = new Map<number, string[]>();
        for (const b of index.bindingsInFile(file)) {
          const node = index.node(b.nodeId);
          if (!node) continue;
          const line = b.location.line - 1;
          const texts = lines.get(line) ?? [];
          texts.push(inlineValueText(b, node));
          lines.set(line, texts);
        }
        const values = [...lines].map(([line, texts]) => ({ line, text: texts.join('   ·   ') }));
        if (values.length) this.byFile.set(vscode.Uri.file(file).fsPath, { values, stale: false });
      }
    }
    this.renderAll();
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const entry = this.byFile.get(e.document.uri.fsPath);
    if (!entry || e.contentChanges.length === 0) return;
    let values = entry.values;
    // NOTE: contentChanges of one event do not overlap; applying them bottom-up keeps earlier
    // ranges valid while later lines move.
    const changes = [...e.contentChanges].sort((a, b) => b.range.start.line - a.range.start.line);
    for (const c of changes) {
      values = shiftLines(values, {
        startLine: c.range.start.line, endLine: c.range.end.line, insertedLineBreaks: (c.text.match(/\n/g) ?? []).length,
      });
    }
    this.byFile.set(e.document.uri.fsPath, { values, stale: true });
    this.renderAll();
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.render(editor);
  }

  private render(editor: vscode.TextEditor): void {
    const entry = this.enabled ? this.byFile.get(editor.document.uri.fsPath) : undefined;
    const options = (values: LineValue[], suffix: string): vscode.DecorationOptions[] => values
      .filter((v) => v.line < editor.document.lineCount)
      .map((v) => {
        const end = editor.document.lineAt(v.line).range.end;
        return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: `${v.text}${suffix}` } } };
      });
    editor.setDecorations(this.fresh, entry && !entry.stale ? options(entry.values, '') : []);
    editor.setDecorations(this.stale, entry?.stale ? options(entry.values, '  (stale: edited since the run)') : []);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.fresh.dispose();
    this.stale.dispose();
  }
}
