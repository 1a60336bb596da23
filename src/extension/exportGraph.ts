/**
 * "Gradscope: Export Graph…": the latest run's graph as a self-contained HTML page or as the
 * snapshot JSON; and the images (PNG, SVG) the graph views render and hand over.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { WebviewToHost } from '../protocol/messages';
import type { GraphSnapshot } from '../protocol/snapshot';
import type { RunState } from './runState';

export type HostExportFormat = 'html' | 'json';
type ExportMessage = Extract<WebviewToHost, { type: 'export' }>;

const FILTERS: Record<ExportMessage['format'], Record<string, string[]>> = {
  html: { 'HTML page': ['html'] },
  json: { 'Graph snapshot (JSON)': ['json'] },
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  dot: { 'Graphviz DOT (torchviz-compatible)': ['dot', 'gv'] },
};

async function render(format: HostExportFormat, snapshot: GraphSnapshot, extensionRoot: string): Promise<Uint8Array> {
  if (format === 'json') {
    const { encodeSnapshotJson } = await import('../protocol/snapshotJson');
    return Buffer.from(encodeSnapshotJson(snapshot, 2), 'utf8');
  }
  // NOTE: loaded on demand: the standalone page inlines the webview bundle.
  const { renderStandaloneHtml } = await import('../export/standaloneHtml');
  return Buffer.from(renderStandaloneHtml(snapshot, { root: extensionRoot }), 'utf8');
}

/** Decodes what a graph view rendered: PNG as base64 (with or without a data: prefix), SVG and DOT as text. */
export function imageBytes(format: 'png' | 'svg' | 'dot', data: string): Uint8Array | null {
  if (format === 'svg') return /<svg[\s>]/.test(data) ? Buffer.from(data, 'utf8') : null;
  if (format === 'dot') return /^\s*(strict\s+)?digraph\b/.test(data) ? Buffer.from(data, 'utf8') : null;
  const base64 = data.replace(/^data:image\/png;base64,/, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(base64)) return null;
  const bytes = Buffer.from(base64, 'base64');
  // PNG signature: a view that sent anything else gets nothing written.
  return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ? bytes : null;
}

export class GraphExporter {
  /** `extensionRoot`: the folder holding dist/ and media/ (the standalone page inlines them). */
  constructor(private readonly state: RunState, private readonly extensionRoot: string) {}

  private latestSnapshot(): GraphSnapshot | null {
    return this.state.latest?.result.snapshot ?? null;
  }

  /** The command: asks for a format and a file. Resolves with the written file, if any. */
  async exportInteractively(format?: HostExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const snapshot = this.latestSnapshot();
    if (!snapshot) {
      void vscode.window.showInformationMessage('Gradscope: run a file first — there is no graph to export yet.');
      return undefined;
    }
    const chosen = format ?? (await vscode.window.showQuickPick([
      { label: 'HTML page', description: 'interactive graph in one file, opens in any browser', format: 'html' as const },
      { label: 'JSON', description: 'the graph snapshot (values, gradients, source locations)', format: 'json' as const },
    ], { title: 'Export Graph', placeHolder: 'Format (PNG and SVG: use the export button of the graph view)' }))?.format;
    if (!chosen) return undefined;
    const uri = target ?? await this.askTarget(snapshot.file, chosen);
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, await render(chosen, snapshot, this.extensionRoot));
    void vscode.window.showInformationMessage(`Gradscope: graph exported to ${path.basename(uri.fsPath)}.`);
    return uri;
  }

  /** An export a graph view asked for (its own export menu). */
  async fromView(message: ExportMessage): Promise<void> {
    const snapshot = this.latestSnapshot();
    if (message.format === 'html' || message.format === 'json') {
      await this.exportInteractively(message.format);
      return;
    }
    const bytes = message.data !== undefined ? imageBytes(message.format, message.data) : null;
    if (!bytes) {
      void vscode.window.showErrorMessage(`Gradscope: the graph view sent no usable ${message.format.toUpperCase()} export.`);
      return;
    }
    const uri = await this.askTarget(snapshot?.file ?? 'graph', message.format);
    if (uri) await vscode.workspace.fs.writeFile(uri, bytes);
  }

  private askTarget(scriptFile: string, format: ExportMessage['format']): Thenable<vscode.Uri | undefined> {
    const base = path.basename(scriptFile).replace(/\.[cm]?ts$/, '');
    const folder = path.isAbsolute(scriptFile) ? path.dirname(scriptFile) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const defaultUri = folder ? vscode.Uri.file(path.join(folder, `${base}.graph.${format}`)) : undefined;
    return vscode.window.showSaveDialog({ title: 'Export Graph', filters: FILTERS[format], ...(defaultUri ? { defaultUri } : {}) });
  }
}
