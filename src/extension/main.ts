/**
 * Entry point of the extension host side. Activation only wires things up — commands, the
 * CodeLens, the hover, the views — and stays cheap: the runner (esbuild, the instrumenter) loads
 * on the first run, the webview page when a graph view opens. Scripts never run in this process.
 */
import * as vscode from 'vscode';
import type { RunResult } from '../runner/runScript';
import { RUN_FILE_COMMAND, RunCodeLensProvider, importsGradscope } from './codeLens';
import { RunDiagnostics } from './diagnostics';
import { syncCursorToGraph } from './editorSync';
import { GraphExporter, type HostExportFormat } from './exportGraph';
import { GraphHub } from './graphHub';
import { GraphPanel, GraphViewProvider, SIDE_VIEW_ID } from './graphViews';
import { SHOW_NODE_COMMAND } from './hoverContent';
import { TensorHoverProvider } from './hoverProvider';
import { InlineValues } from './inlineValues';
import { OutputLog } from './outputLog';
import { revealSource, trackEditorColumn } from './revealSource';
import { RunController, isRunnableDocument } from './runController';
import { RunState } from './runState';
import { SETTINGS_SECTION, readSettings } from './settings';
import { RunStatusBar } from './statusBar';
import { openTutorial } from './tutorial';

/** What `activate` returns: used by the integration tests and open to other extensions. */
export interface GradscopeApi {
  /** Time spent in `activate` (ms). */
  readonly activateMs: number;
  /** The latest finished run (cancelled runs that produced nothing excluded). */
  lastRun(): RunResult | null;
  /** Runs a file (default: the active editor's), as the command does, and resolves with its result. */
  runFile(uri?: vscode.Uri): Promise<RunResult | undefined>;
  /** The inline values currently shown in a file. */
  inlineValues(uri: vscode.Uri): readonly { line: number; text: string; stale: boolean }[];
  /** Whether a run is in flight. */
  running(): boolean;
  /** Graph views: the panel, the side view, how many are connected and how many pages said `ready`. */
  graphViews(): { panelOpen: boolean; sideViewResolved: boolean; connected: number; ready: number };
}

const TS_SELECTOR: vscode.DocumentSelector = [{ language: 'typescript', scheme: 'file' }];

export function activate(context: vscode.ExtensionContext): GradscopeApi {
  const started = performance.now();
  const state = new RunState();
  const output = new OutputLog();
  const statusBar = new RunStatusBar();
  const diagnostics = new RunDiagnostics();
  const controller = new RunController(state, output, statusBar, diagnostics);
  const exporter = new GraphExporter(state, context.extensionUri.fsPath);
  const inlineValues = new InlineValues(state);

  const hub = new GraphHub(state, {
    openSource: (location) => {
      // Only files of the run: a page must not be able to open arbitrary paths.
      if (state.latest?.index?.coversFile(location.file)) void revealSource(location, { preserveFocus: false });
      else output.note(`[graph view] ignored openSource for a file outside the run: ${location.file}`);
    },
    selectNode: (nodeId) => {
      const node = nodeId ? state.latest?.index?.node(nodeId) : undefined;
      if (node?.location) void revealSource(node.location, { preserveFocus: true });
    },
    export: (message) => void exporter.fromView(message),
    rerun: () => {
      const file = state.latest?.result.file;
      if (file) void controller.runFile(vscode.Uri.file(file));
    },
    log: (message) => output.note(message),
  });
  const panel = new GraphPanel(context.extensionUri, hub);
  const sideView = new GraphViewProvider(context.extensionUri, hub);

  const runFile = (uri?: vscode.Uri): Promise<RunResult | undefined> => controller.runFile(uri);
  // A run shows its graph: the panel opens beside the editor (keeping the focus there) unless a
  // graph view is already on screen.
  const showGraphOnRun = state.onDidStart(() => {
    if (panel.isOpen || sideView.isVisible) return;
    try {
      panel.show({ preserveFocus: true });
    } catch (e) {
      // The run is still worth doing (output, diagnostics, hover) when the page cannot be built.
      output.note(`could not open the graph panel: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  context.subscriptions.push(
    state, output, statusBar, diagnostics, controller, inlineValues, hub, panel,
    trackEditorColumn(), showGraphOnRun,
    vscode.commands.registerCommand(RUN_FILE_COMMAND, (uri?: unknown) => runFile(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('gradscope.stop', () => {
      if (!controller.stop()) void vscode.window.showInformationMessage('Gradscope: nothing is running.');
    }),
    vscode.commands.registerCommand('gradscope.showGraph', () => panel.show({ preserveFocus: false })),
    vscode.commands.registerCommand('gradscope.toggleInlineValues', async () => {
      const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
      const inspected = config.inspect<boolean>('inlineValues.enabled');
      const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await config.update('inlineValues.enabled', !inlineValues.isEnabled, target);
      // The configuration event updates the decorations too; this makes the toggle immediate.
      inlineValues.setEnabled(readSettings().inlineValuesEnabled);
    }),
    vscode.commands.registerCommand('gradscope.exportGraph', (format?: unknown, target?: unknown) => exporter.exportInteractively(
      format === 'html' || format === 'json' ? (format as HostExportFormat) : undefined,
      target instanceof vscode.Uri ? target : undefined,
    )),
    vscode.commands.registerCommand(SHOW_NODE_COMMAND, (nodeId?: unknown) => {
      if (typeof nodeId !== 'string' || !state.latest?.index?.node(nodeId)) return;
      // Into the views on screen; the panel opens only when none is.
      if (panel.isOpen || !sideView.isVisible) panel.show({ preserveFocus: true });
      hub.revealNode(nodeId);
    }),
    vscode.commands.registerCommand('gradscope.openTutorial', () => openTutorial(context)),
    vscode.languages.registerCodeLensProvider(TS_SELECTOR, new RunCodeLensProvider()),
    vscode.languages.registerHoverProvider(TS_SELECTOR, new TensorHoverProvider(state)),
    vscode.window.registerWebviewViewProvider(SIDE_VIEW_ID, sideView, { webviewOptions: { retainContextWhenHidden: true } }),
    syncCursorToGraph(state, hub),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (!readSettings(document.uri).runOnSave || !isRunnableDocument(document) || controller.isSavingForRun(document)) return;
      // NOTE: no trust prompt on every save: in restricted mode run-on-save just does nothing.
      if (vscode.workspace.isTrusted && importsGradscope(document.getText())) void controller.runFile(document.uri, { save: false });
    }),
  );

  const activateMs = performance.now() - started;
  return {
    activateMs,
    lastRun: () => state.latest?.result ?? null,
    runFile,
    inlineValues: (uri) => inlineValues.valuesFor(uri.fsPath),
    running: () => controller.isRunning,
    graphViews: () => ({ panelOpen: panel.isOpen, sideViewResolved: sideView.isResolved, connected: hub.viewCount, ready: hub.readyCount }),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; disposing the controller stops a run in flight.
}
