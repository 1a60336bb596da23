/**
 * The extension's settings (`contributes.configuration` in package.json), read in one place with
 * their defaults and bounds, so a hand-edited settings.json with a silly value cannot reach the runner.
 */
import * as vscode from 'vscode';

export interface GradscopeSettings {
  /** Wall-clock limit of one run. */
  timeLimitMs: number;
  /** Heap limit of the worker that runs the script. */
  memoryLimitMb: number;
  /** Values kept per tensor by the capture, and shown by the hover. */
  maxValuesShown: number;
  inlineValuesEnabled: boolean;
  runOnSave: boolean;
}

export const SETTINGS_SECTION = 'gradscope';

function clampedInt(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

export function readSettings(scope?: vscode.ConfigurationScope): GradscopeSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return {
    timeLimitMs: clampedInt(c.get('timeLimitMs'), 30_000, 100, 24 * 3600_000),
    memoryLimitMb: clampedInt(c.get('memoryLimitMb'), 1024, 64, 64 * 1024),
    maxValuesShown: clampedInt(c.get('maxValuesShown'), 1000, 1, 1_000_000),
    inlineValuesEnabled: c.get('inlineValues.enabled') !== false,
    runOnSave: c.get('runOnSave') === true,
  };
}
