/**
 * The latest run, shared by every editor feature (hover, inline values, diagnostics, the graph
 * views): one place that says what ran, what came out, and whether the file changed since.
 */
import * as vscode from 'vscode';
import type { RunResult } from '../runner/runScript';
import { RunIndex, sameFile } from './runIndex';

export interface CompletedRun {
  result: RunResult;
  /** Null when the run produced no graph (a syntax error, a crash before the first op). */
  index: RunIndex | null;
  /** `document.version` of the script when it ran (after saving). */
  documentVersion: number | undefined;
}

export interface ActiveRun {
  runId: string;
  file: string;
  startedAt: number;
}

export class RunState implements vscode.Disposable {
  private latestRun: CompletedRun | null = null;
  private activeRun: ActiveRun | null = null;
  private readonly didStart = new vscode.EventEmitter<ActiveRun>();
  private readonly didFinish = new vscode.EventEmitter<CompletedRun>();
  /** Fired when a run starts. */
  readonly onDidStart = this.didStart.event;
  /** Fired with every finished run, whatever its status (cancelled runs included). */
  readonly onDidFinish = this.didFinish.event;

  get latest(): CompletedRun | null {
    return this.latestRun;
  }

  get active(): ActiveRun | null {
    return this.activeRun;
  }

  start(run: ActiveRun): void {
    this.activeRun = run;
    this.didStart.fire(run);
  }

  /** The run is over (finished or failed to start): it is no longer the active one. */
  end(runId: string): void {
    if (this.activeRun?.runId === runId) this.activeRun = null;
  }

  /**
   * Records a finished run. A cancelled run that produced nothing keeps the previous graph on
   * screen (a new run is usually about to replace it).
   */
  finish(result: RunResult, documentVersion: number | undefined): void {
    this.end(result.runId);
    const completed: CompletedRun = { result, index: result.snapshot ? new RunIndex(result.snapshot) : null, documentVersion };
    if (!(result.status === 'cancelled' && !result.snapshot)) this.latestRun = completed;
    this.didFinish.fire(completed);
  }

  /** The latest run's index if it covers `document`, and whether the document changed since. */
  indexFor(document: vscode.TextDocument): { index: RunIndex; stale: boolean } | null {
    const run = this.latestRun;
    if (!run?.index || !run.index.coversFile(document.uri.fsPath)) return null;
    const isEntry = sameFile(run.result.file, document.uri.fsPath);
    const stale = isEntry ? run.documentVersion !== document.version : document.isDirty;
    return { index: run.index, stale };
  }

  dispose(): void {
    this.didStart.dispose();
    this.didFinish.dispose();
  }
}
