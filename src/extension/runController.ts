/**
 * Runs the user's file: saved first, in a worker (never in the extension host), one run at a
 * time (a new run cancels the one in flight), under the configured limits, with its output in the
 * "Gradscope" channel, its state in the status bar, a progress notification when it takes more
 * than a second, and its outcome published to RunState for every other feature.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../runner/runScript';
import type { RunDiagnostics } from './diagnostics';
import type { OutputLog } from './outputLog';
import type { RunState } from './runState';
import { readSettings } from './settings';
import type { RunStatusBar } from './statusBar';
import { checkTrusted } from './trust';

/** Delay before a run gets a progress notification (short runs should not flash one). */
const PROGRESS_DELAY_MS = 1000;

type Runner = typeof import('../runner/runScript');

/**
 * NOTE [Lazy runner]
 * The runner's host side (esbuild, the acorn-based instrumenter, source maps) is four times the
 * size of the rest of the extension; bundled in, it made `ext.activate()` about twice as slow in
 * code-server (106–252 ms against 52–125 ms here, under load). It is a separate bundle, dist/runner.js (built by scripts/build-types.mjs
 * until scripts/build.mjs has a `runner` target), required on the first run only.
 */
let runnerModule: Promise<Runner> | null = null;
function loadRunner(): Promise<Runner> {
  runnerModule ??= new Promise<Runner>((resolve) => {
    // A computed path, so that esbuild leaves this require alone instead of inlining the runner.
    const file = path.join(__dirname, 'runner.js');
    resolve(require(file) as Runner);
  });
  runnerModule.catch(() => {
    runnerModule = null; // retry on the next run (e.g. after a rebuild)
  });
  return runnerModule;
}

export function isRunnableDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'typescript' || /\.[cm]?ts$/.test(document.uri.fsPath);
}

let runCounter = 0;

/** `gradscope.running`: the editor title shows Stop instead of Run, and Stop is enabled. */
function setRunningContext(running: boolean): void {
  void vscode.commands.executeCommand('setContext', 'gradscope.running', running);
}

export class RunController implements vscode.Disposable {
  private current: { runId: string; abort: AbortController } | null = null;
  /** Files being saved because a run asked for it (their save must not trigger run-on-save). */
  private readonly savingForRun = new Set<string>();

  constructor(
    private readonly state: RunState,
    private readonly output: OutputLog,
    private readonly statusBar: RunStatusBar,
    private readonly diagnostics: RunDiagnostics,
  ) {}

  get isRunning(): boolean {
    return this.current !== null;
  }

  /**
   * Runs `target` (default: the active editor's file). Resolves with the result, or undefined
   * when nothing ran (no file, untrusted workspace, could not save).
   */
  async runFile(target?: vscode.Uri, options: { save?: boolean } = {}): Promise<RunResult | undefined> {
    const document = await this.documentToRun(target);
    if (!document) return undefined;
    if (!checkTrusted()) return undefined;
    if (options.save !== false && document.isDirty && !(await this.save(document))) {
      void vscode.window.showErrorMessage(`Gradscope: could not save ${path.basename(document.fileName)}; not running it.`);
      return undefined;
    }
    const file = document.uri.fsPath;
    const documentVersion = document.version;

    this.current?.abort.abort();
    const abort = new AbortController();
    const runId = `vscode-${process.pid}-${++runCounter}`;
    this.current = { runId, abort };
    setRunningContext(true);
    this.state.start({ runId, file, startedAt: Date.now() });
    this.output.runStarted(file);
    this.statusBar.running(path.basename(file));

    const settings = readSettings(document.uri);
    const pending = loadRunner().then((runner) => runner.runScript(file, {
      runId,
      signal: abort.signal,
      timeoutMs: settings.timeLimitMs,
      maxMemoryMb: settings.memoryLimitMb,
      maxValuesPerTensor: settings.maxValuesShown,
      onLog: (entry) => this.output.log(entry),
    }));
    const progressTimer = setTimeout(() => this.showProgress(file, pending, abort), PROGRESS_DELAY_MS);

    let result: RunResult;
    try {
      result = await pending;
    } catch (e) {
      // runScript reports everything the script does as data; this is the runner itself missing
      // (a broken install: esbuild not found) — nothing ran.
      const message = `Gradscope could not start the runner: ${e instanceof Error ? e.message : String(e)}`;
      this.output.note(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    } finally {
      clearTimeout(progressTimer);
      if (this.current?.runId === runId) {
        this.current = null;
        setRunningContext(false);
      }
      this.state.end(runId);
    }
    const superseded = this.current !== null;

    this.output.runFinished(result);
    if (!superseded) this.statusBar.finished(result);
    this.state.finish(result, documentVersion);
    await this.diagnostics.update(result);
    if (!superseded) this.explainFailure(result);
    return result;
  }

  isSavingForRun(document: vscode.TextDocument): boolean {
    return this.savingForRun.has(document.uri.toString());
  }

  private async save(document: vscode.TextDocument): Promise<boolean> {
    const key = document.uri.toString();
    this.savingForRun.add(key);
    try {
      return await document.save();
    } finally {
      this.savingForRun.delete(key);
    }
  }

  /** Stops the run in flight (the worker is terminated at once). */
  stop(): boolean {
    if (!this.current) return false;
    this.current.abort.abort();
    return true;
  }

  private async documentToRun(target?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
    let document: vscode.TextDocument | undefined;
    if (target instanceof vscode.Uri) {
      document = await Promise.resolve(vscode.workspace.openTextDocument(target)).catch(() => undefined);
    } else {
      // With the focus in the graph (no active text editor), the TypeScript file beside it.
      document = vscode.window.activeTextEditor?.document
        ?? vscode.window.visibleTextEditors.map((e) => e.document).find(isRunnableDocument);
    }
    if (!document || !isRunnableDocument(document)) {
      void vscode.window.showInformationMessage('Gradscope: open a TypeScript file to run it.');
      return undefined;
    }
    if (document.isUntitled) {
      void vscode.window.showInformationMessage('Gradscope: save the file first — the script runs from disk, next to the modules it imports.');
      return undefined;
    }
    return document;
  }

  private showProgress(file: string, pending: Promise<RunResult>, abort: AbortController): void {
    void vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: `Gradscope: running ${path.basename(file)}`,
      cancellable: true,
    }, async (_progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      await pending.catch(() => undefined);
    });
  }

  /** Problems with a location become diagnostics; the others need a message to be noticed. */
  private explainFailure(result: RunResult): void {
    if (result.status === 'ok' || result.status === 'cancelled') return;
    if (result.error?.location && result.status === 'error') return;
    const message = result.error?.message ?? `the run ended with status ${result.status}`;
    void vscode.window.showErrorMessage(`Gradscope: ${message}`, 'Show Output').then((choice) => {
      if (choice) this.output.show();
    });
  }

  dispose(): void {
    this.current?.abort.abort();
    this.current = null;
  }
}
