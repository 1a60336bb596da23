/**
 * Proposed compatible extension of the snapshot (optional field `scopeInfo`; see the report): what
 * each scope name is, so a collapsed composite op can show PyTorch's fused backward name
 * (`BinaryCrossEntropyWithLogitsBackward0`) and composite ops can start collapsed. The shared schema
 * ignores fields it does not know, so the page checks this one itself.
 */
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { isRecord } from '../util/guards';

export interface ScopeInfo {
  kind: 'composite' | 'module';
  /** PyTorch's single backward node for this composite op, when PyTorch has one. */
  gradFn: string | null;
}

export type ViewSnapshot = GraphSnapshot & { scopeInfo?: Record<string, ScopeInfo> };

/** The valid entries of `snapshot.scopeInfo` (malformed entries are ignored). */
export function readScopeInfo(snapshot: GraphSnapshot): Map<string, ScopeInfo> {
  const out = new Map<string, ScopeInfo>();
  const raw = (snapshot as { scopeInfo?: unknown }).scopeInfo;
  if (!isRecord(raw)) return out;
  for (const name of Object.keys(raw)) {
    const v = raw[name];
    if (!isRecord(v) || (v.kind !== 'composite' && v.kind !== 'module')) continue;
    const gradFn = typeof v.gradFn === 'string' && v.gradFn.length <= 256 ? v.gradFn : null;
    out.set(name, { kind: v.kind, gradFn });
  }
  return out;
}
