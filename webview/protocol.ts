/**
 * The page's side of the host ↔ webview contract (src/protocol/messages.ts), plus what the page adds
 * on top of it. Everything that arrives is untrusted: `parseToWebview` runs the shared validator and
 * returns a reason for anything malformed, which the page reports and drops.
 */
import { parseHostToWebview, PROTOCOL_VERSION, type HostToWebview, type WebviewToHost } from '../src/protocol/messages';
import { decodeSnapshotNumbers } from '../src/protocol/snapshotJson';

export { PROTOCOL_VERSION };
export type { RunSummary, ThemeKind } from '../src/protocol/messages';
export type ToWebview = HostToWebview;
export type FromWebview = WebviewToHost;

/** What the page can export. */
export type ExportFormat = 'png' | 'svg' | 'dot' | 'json' | 'html';

/**
 * What the page hands its host to save. PNG as base64 (no data: prefix), SVG and DOT as text; JSON
 * and HTML carry nothing: the host renders them from its own snapshot (encodeSnapshotJson,
 * renderStandaloneHtml). The standalone page, which has no host, makes all five itself.
 */
export type ExportPayload =
  | { format: 'png'; fileName: string; base64: string }
  | { format: 'svg' | 'dot'; fileName: string; text: string }
  | { format: 'json' | 'html'; fileName: string };

export type ParsedMessage = { ok: true; message: ToWebview } | { ok: false; error: string };

export function parseToWebview(data: unknown): ParsedMessage {
  // The host sends non-finite numbers as strings (VS Code serialises webview messages as JSON).
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'setGraph') {
    decodeSnapshotNumbers((data as { snapshot?: unknown }).snapshot);
  }
  const parsed = parseHostToWebview(data);
  return parsed.ok ? { ok: true, message: parsed.value } : { ok: false, error: parsed.error };
}
