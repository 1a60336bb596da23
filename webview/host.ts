/**
 * Who the page talks to: the VS Code extension host (acquireVsCodeApi), or nobody (the standalone
 * HTML, where exports download directly and source links only show where the code is).
 */
import { downloadFile, base64ToBytes } from './export/download';
import { parseToWebview, PROTOCOL_VERSION, type ExportPayload, type FromWebview, type ToWebview } from './protocol';

export interface Host {
  readonly kind: 'vscode' | 'standalone';
  post(msg: FromWebview): void;
  /** Saves an export: the host's save dialog in VS Code, a download in the standalone page. */
  save(payload: ExportPayload): void;
  /** `receivedAt`: performance.now() when the message arrived (before validation). */
  listen(onMessage: (msg: ToWebview, receivedAt: number) => void): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside webviews (callable once).
  // eslint-disable-next-line no-var
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

export class VsCodeHost implements Host {
  readonly kind = 'vscode';
  constructor(private readonly api: VsCodeApi) {}
  post(msg: FromWebview): void {
    this.api.postMessage(msg);
  }
  save(payload: ExportPayload): void {
    const base = { v: PROTOCOL_VERSION, type: 'export', fileName: payload.fileName } as const;
    switch (payload.format) {
      case 'png':
        this.post({ ...base, format: 'png', data: payload.base64 });
        break;
      case 'svg':
      case 'dot':
        this.post({ ...base, format: payload.format, data: payload.text });
        break;
      default:
        this.post({ ...base, format: payload.format });
    }
  }
  listen(onMessage: (msg: ToWebview, receivedAt: number) => void): void {
    window.addEventListener('message', (e: MessageEvent<unknown>) => {
      const receivedAt = performance.now();
      const parsed = parseToWebview(e.data);
      if (parsed.ok) onMessage(parsed.message, receivedAt);
      else this.post({ v: PROTOCOL_VERSION, type: 'log', level: 'warn', message: `dropped a message: ${parsed.error}` });
    });
  }
  getState(): unknown {
    return this.api.getState();
  }
  setState(state: unknown): void {
    this.api.setState(state);
  }
}

const MIME: Record<ExportPayload['format'], string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  dot: 'text/vnd.graphviz',
  json: 'application/json',
  html: 'text/html',
};

export class StandaloneHost implements Host {
  readonly kind = 'standalone';
  private state: unknown = undefined;
  /**
   * `selfHtml` renders this page again (with the current snapshot) for the HTML export, `selfJson`
   * the snapshot file: without a host the page makes them itself.
   */
  constructor(
    private readonly selfHtml: () => string,
    private readonly selfJson: () => string,
  ) {}
  post(_msg: FromWebview): void {
    // Nobody listens: selection and source links stay inside the page.
  }
  save(payload: ExportPayload): void {
    const type = MIME[payload.format];
    let blob: Blob;
    if (payload.format === 'png') blob = new Blob([base64ToBytes(payload.base64) as BlobPart], { type });
    else if ('text' in payload) blob = new Blob([payload.text], { type });
    else blob = new Blob([payload.format === 'html' ? this.selfHtml() : this.selfJson()], { type });
    downloadFile(payload.fileName, blob);
  }
  listen(_onMessage: (msg: ToWebview, receivedAt: number) => void): void {
    // A standalone file takes no commands from other windows.
  }
  getState(): unknown {
    return this.state;
  }
  setState(state: unknown): void {
    this.state = state;
  }
}
