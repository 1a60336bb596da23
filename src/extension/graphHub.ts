/**
 * Keeps every graph webview (the panel beside the editor and the side view) showing the latest
 * run and in sync, and validates what crosses the boundary both ways: what we post is checked
 * against the protocol before it leaves, what a page posts is checked before we act on it.
 */
import * as vscode from 'vscode';
import {
  PROTOCOL_VERSION, parseHostToWebview, parseWebviewToHost, type HostToWebview, type ThemeKind, type WebviewToHost,
} from '../protocol/messages';
import { encodeSnapshotJson } from '../protocol/snapshotJson';
import type { CompletedRun, RunState } from './runState';

export interface GraphHubHandlers {
  /** The user asked to go to a node's source (focus moves to the editor). */
  openSource(location: Extract<WebviewToHost, { type: 'openSource' }>['location']): void;
  /** The user selected a node in one of the views (null: cleared). */
  selectNode(nodeId: string | null): void;
  export(message: Extract<WebviewToHost, { type: 'export' }>): void;
  rerun(): void;
  log(message: string): void;
}

export function setGraphMessage(run: CompletedRun): HostToWebview {
  const { result } = run;
  return {
    v: PROTOCOL_VERSION, type: 'setGraph', runId: result.runId, snapshot: result.snapshot,
    run: { file: result.file, status: result.status, error: result.error ?? null, durationMs: result.durationMs },
  };
}

export function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light: return 'light';
    case vscode.ColorThemeKind.HighContrast: return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight: return 'high-contrast-light';
    default: return 'dark';
  }
}

/**
 * The message as it travels: VS Code serialises webview messages as JSON, where NaN and ±Infinity
 * would become null; the snapshot goes with those as the strings "NaN", "Infinity", "-Infinity"
 * (the snapshot's JSON convention, which the page reads back).
 */
function toWire(message: HostToWebview): unknown {
  if (message.type !== 'setGraph' || !message.snapshot) return message;
  return { ...message, snapshot: JSON.parse(encodeSnapshotJson(message.snapshot)) as unknown };
}

/** A short, printable view of an untrusted value, for the log. */
function excerpt(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** One page: posts only after its `ready`, and re-sends the current state whenever it (re)loads. */
class Bridge {
  private loaded = false;
  /** Messages about the current graph (revealNode, selectNodes) waiting for `ready`. */
  private queue: HostToWebview[] = [];

  constructor(readonly webview: vscode.Webview) {}

  get ready(): boolean {
    return this.loaded;
  }

  post(message: HostToWebview): void {
    if (!this.loaded) {
      if (message.type === 'revealNode' || message.type === 'selectNodes') this.queue.push(message);
      return;
    }
    void this.webview.postMessage(toWire(message));
  }

  /** The page (re)loaded: it knows nothing, so it gets the whole current state, then the queue. */
  onReady(current: HostToWebview[]): void {
    this.loaded = true;
    for (const m of current) void this.webview.postMessage(toWire(m));
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) void this.webview.postMessage(toWire(m));
  }
}

export class GraphHub implements vscode.Disposable {
  private readonly bridges = new Set<Bridge>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Node ids last selected (from the editor or a view), re-sent to a view that loads later. */
  private selection: string[] = [];

  constructor(private readonly state: RunState, private readonly handlers: GraphHubHandlers) {
    this.subscriptions.push(
      state.onDidStart((run) => this.broadcast({ v: PROTOCOL_VERSION, type: 'runStarted', runId: run.runId, file: run.file })),
      state.onDidFinish((run) => {
        if (this.state.latest !== run) return;
        this.selection = [];
        this.broadcast(setGraphMessage(run));
      }),
      vscode.window.onDidChangeActiveColorTheme((t) => this.broadcast({ v: PROTOCOL_VERSION, type: 'theme', kind: themeKind(t.kind) })),
    );
  }

  get viewCount(): number {
    return this.bridges.size;
  }

  /** Views whose page has loaded and said `ready`. */
  get readyCount(): number {
    return [...this.bridges].filter((b) => b.ready).length;
  }

  /** Connects a webview whose HTML is already set; dispose the result when the webview goes. */
  attach(webview: vscode.Webview): vscode.Disposable {
    const bridge = new Bridge(webview);
    this.bridges.add(bridge);
    const listener = webview.onDidReceiveMessage((raw: unknown) => this.receive(bridge, raw));
    return new vscode.Disposable(() => {
      listener.dispose();
      this.bridges.delete(bridge);
    });
  }

  /** Centers a node in every view (and shows its details). */
  revealNode(nodeId: string): void {
    this.selection = [nodeId];
    this.broadcast({ v: PROTOCOL_VERSION, type: 'revealNode', nodeId });
  }

  /** Highlights nodes in every view (the editor's cursor moved to their line). */
  selectNodes(nodeIds: string[]): void {
    this.selection = nodeIds;
    this.broadcast({ v: PROTOCOL_VERSION, type: 'selectNodes', nodeIds });
  }

  private currentState(): HostToWebview[] {
    const out: HostToWebview[] = [{ v: PROTOCOL_VERSION, type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) }];
    if (this.state.latest) out.push(setGraphMessage(this.state.latest));
    if (this.state.active) out.push({ v: PROTOCOL_VERSION, type: 'runStarted', runId: this.state.active.runId, file: this.state.active.file });
    if (this.selection.length) out.push({ v: PROTOCOL_VERSION, type: 'selectNodes', nodeIds: this.selection });
    return out.filter((m) => this.checkOutgoing(m));
  }

  private broadcast(message: HostToWebview, except?: Bridge): void {
    if (!this.checkOutgoing(message)) return;
    for (const b of this.bridges) if (b !== except) b.post(message);
  }

  private checkOutgoing(message: HostToWebview): boolean {
    const parsed = parseHostToWebview(message);
    if (!parsed.ok) this.handlers.log(`not sent to the graph view (invalid ${message.type}): ${parsed.error}`);
    return parsed.ok;
  }

  private receive(bridge: Bridge, raw: unknown): void {
    const parsed = parseWebviewToHost(raw);
    if (!parsed.ok) {
      this.handlers.log(`ignored a message from the graph view: ${parsed.error} (${excerpt(raw)})`);
      return;
    }
    const m = parsed.value;
    switch (m.type) {
      case 'ready': bridge.onReady(this.currentState()); break;
      case 'openSource': this.handlers.openSource(m.location); break;
      case 'selectNode':
        this.selection = m.nodeId ? [m.nodeId] : [];
        this.broadcast({ v: PROTOCOL_VERSION, type: 'selectNodes', nodeIds: this.selection }, bridge);
        this.handlers.selectNode(m.nodeId);
        break;
      case 'export': this.handlers.export(m); break;
      case 'rerun': this.handlers.rerun(); break;
      case 'log': this.handlers.log(`[graph view] ${m.level}: ${m.message}`); break;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.bridges.clear();
  }
}
