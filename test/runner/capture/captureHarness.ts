/** Runs library code under a fresh in-process GraphCapture, playing what the instrumented script does. */
import assert from 'node:assert/strict';
import { setCaptureListener } from '../../../src/lib/capture/hooks';
import { GraphCapture } from '../../../src/runner/capture/graphCapture';
import { resolveLimits } from '../../../src/runner/capture/limits';
import type { BindingSite, CaptureLimits } from '../../../src/protocol/messages';
import { parseGraphSnapshot } from '../../../src/protocol/messages';
import type { GraphSnapshot, SourceLocation } from '../../../src/protocol/snapshot';

export interface ScriptActions {
  /** Plays the instrumented code's call-site register. */
  at(site: number): void;
  /** Plays `const <bindings[id].name> = value`. */
  bind<T>(value: T, id: number): T;
}

export interface CaptureSetup {
  file: string;
  sites: SourceLocation[];
  bindings?: BindingSite[];
  limits?: Partial<CaptureLimits>;
}

/** The snapshot of what `body` did, checked against the protocol's schema. */
export function captureRun(setup: CaptureSetup, body: (s: ScriptActions) => void): GraphSnapshot {
  const activity = new Int32Array(2).fill(-1);
  const c = new GraphCapture({
    file: setup.file, limits: resolveLimits(setup.limits ?? {}), sites: setup.sites, bindings: setup.bindings ?? [], activity,
  });
  setCaptureListener(c);
  try {
    body({ at: (site) => { activity[0] = site; }, bind: (value, id) => { c.bind(value, id); return value; } });
  } finally {
    setCaptureListener(null);
  }
  const s = c.snapshot();
  const parsed = parseGraphSnapshot(s);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return s;
}
