/** The status-bar item: what the last run did and how long it took; a click shows the graph. */
import * as vscode from 'vscode';
import type { RunResult } from '../runner/runScript';

const LABELS: Record<RunResult['status'], { icon: string; text: string }> = {
  ok: { icon: '$(pass)', text: 'ok' },
  error: { icon: '$(error)', text: 'error' },
  timeout: { icon: '$(watch)', text: 'timed out' },
  oom: { icon: '$(error)', text: 'out of memory' },
  cancelled: { icon: '$(debug-stop)', text: 'stopped' },
};

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export class RunStatusBar implements vscode.Disposable {
  private item: vscode.StatusBarItem | null = null;

  private get bar(): vscode.StatusBarItem {
    if (!this.item) {
      this.item = vscode.window.createStatusBarItem('gradscope.status', vscode.StatusBarAlignment.Left, 10);
      this.item.name = 'Gradscope';
    }
    return this.item;
  }

  running(fileName: string): void {
    const bar = this.bar;
    bar.text = '$(sync~spin) Gradscope';
    bar.tooltip = `Running ${fileName} — click to stop`;
    bar.command = 'gradscope.stop';
    bar.backgroundColor = undefined;
    bar.show();
  }

  finished(result: RunResult): void {
    const bar = this.bar;
    const label = LABELS[result.status];
    bar.text = `${label.icon} Gradscope ${formatDuration(result.durationMs)}`;
    bar.tooltip = `Last run: ${label.text} in ${formatDuration(result.durationMs)}${result.error ? `\n${result.error.message}` : ''}\nClick to show the graph`;
    bar.command = 'gradscope.showGraph';
    bar.backgroundColor = result.status === 'ok' || result.status === 'cancelled'
      ? undefined : new vscode.ThemeColor('statusBarItem.errorBackground');
    bar.show();
  }

  dispose(): void {
    this.item?.dispose();
  }
}
