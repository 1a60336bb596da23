/**
 * The "Gradscope" output channel: the script's console output as it arrives, and one line per
 * run saying how it ended. Created on first use so that activation stays cheap.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { LogEntry } from '../protocol/messages';
import type { RunResult } from '../runner/runScript';

export class OutputLog implements vscode.Disposable {
  private channel: vscode.OutputChannel | null = null;

  private get out(): vscode.OutputChannel {
    this.channel ??= vscode.window.createOutputChannel('Gradscope');
    return this.channel;
  }

  runStarted(file: string): void {
    this.out.appendLine(`▶ ${path.basename(file)} (${new Date().toLocaleTimeString()})`);
  }

  log(entry: LogEntry): void {
    this.out.appendLine(entry.source === 'script' ? entry.text : `[${entry.source}] ${entry.text}`);
  }

  runFinished(result: RunResult): void {
    const seconds = (result.durationMs / 1000).toFixed(2);
    if (result.status === 'ok') {
      this.out.appendLine(`✓ finished in ${seconds} s`);
      return;
    }
    const e = result.error;
    this.out.appendLine(`✗ ${result.status} after ${seconds} s${e ? `: ${e.pyType ?? e.name}: ${e.message}` : ''}`);
    if (e?.stack) this.out.appendLine(e.stack);
    for (const d of result.diagnostics) this.out.appendLine(`[runner] ${d}`);
  }

  note(message: string): void {
    this.out.appendLine(message);
  }

  show(): void {
    this.out.show(true);
  }

  dispose(): void {
    this.channel?.dispose();
  }
}
