/**
 * The snapshot as a JSON file (CLI `--json`, exports): JSON has no NaN/±Infinity, so those
 * numbers are written as the strings "NaN", "Infinity", "-Infinity" (see snapshot.ts) and turned
 * back into numbers where the contract has numbers.
 * NOTE: op `attrs` are free-form, so a non-finite attribute stays a string after a round trip.
 */
import { parseGraphSnapshot, type Parsed } from './messages';
import type { GraphSnapshot, TensorData } from './snapshot';

function encodeNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

export function encodeSnapshotJson(snapshot: GraphSnapshot, indent?: number): string {
  return JSON.stringify(snapshot, encodeNumber, indent);
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function decodeNumber(value: unknown): unknown {
  return typeof value === 'string' && value in NON_FINITE ? NON_FINITE[value] : value;
}

function decodeNumbers(values: unknown): void {
  if (!Array.isArray(values)) return;
  for (let i = 0; i < values.length; i++) values[i] = decodeNumber(values[i]);
}

function decodeTensor(t: unknown): void {
  if (typeof t !== 'object' || t === null) return;
  const data = t as Partial<Record<keyof TensorData, unknown>>;
  decodeNumbers(data.values);
  const stats = data.stats as Record<string, unknown> | null | undefined;
  if (stats && typeof stats === 'object') for (const k of Object.keys(stats)) stats[k] = decodeNumber(stats[k]);
}

/**
 * Turns the strings "NaN", "Infinity", "-Infinity" back into numbers, in place, in a snapshot that
 * was encoded by `encodeSnapshotJson` and already parsed (a file, or a webview message: VS Code
 * serialises webview messages as JSON). Numbers are left alone, so a structured-clone copy passes.
 */
export function decodeSnapshotNumbers(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return;
  const s = raw as Record<string, unknown>;
  for (const n of Array.isArray(s.nodes) ? s.nodes : []) {
    if (typeof n !== 'object' || n === null) continue;
    const node = n as Record<string, unknown>;
    decodeTensor(node.tensor);
    decodeTensor(node.grad);
    for (const saved of Array.isArray(node.saved) ? node.saved : []) decodeTensor((saved as { tensor?: unknown })?.tensor);
  }
  for (const e of Array.isArray(s.edges) ? s.edges : []) decodeTensor((e as { grad?: unknown })?.grad);
  const it = s.iterations as Record<string, unknown> | null | undefined;
  if (!it || typeof it !== 'object') return;
  const series = it.series as Record<string, Record<string, unknown>> | undefined;
  if (series && typeof series === 'object') {
    for (const entry of Object.values(series)) {
      if (entry && typeof entry === 'object') for (const arr of Object.values(entry)) decodeNumbers(arr);
    }
  }
  for (const f of Array.isArray(it.frames) ? it.frames : []) {
    const frame = f as { values?: Record<string, unknown>; grads?: Record<string, unknown> };
    for (const t of Object.values(frame?.values ?? {})) decodeTensor(t);
    for (const t of Object.values(frame?.grads ?? {})) decodeTensor(t);
  }
}

/** Parses and validates a snapshot file written by `encodeSnapshotJson`. */
export function decodeSnapshotJson(text: string): Parsed<GraphSnapshot> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  decodeSnapshotNumbers(raw);
  return parseGraphSnapshot(raw);
}
