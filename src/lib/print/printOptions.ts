/** Global print options, as `torch.set_printoptions` / `torch.get_printoptions` manage them. */
export interface PrintOptions {
  /** digits after the decimal point (fixed) or of the mantissa (scientific) */
  precision: number;
  /** summarise when numel > threshold (`Infinity` = never, profile 'full') */
  threshold: number;
  /** items kept at each end of every summarised dimension */
  edgeitems: number;
  /** characters per line used to wrap rows and suffixes */
  linewidth: number;
  /** force scientific (true) or fixed (false) notation; null lets the formatter decide */
  sciMode: boolean | null;
}

export type PrintProfile = 'default' | 'short' | 'full';

const PROFILES: Record<PrintProfile, Omit<PrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

let current: PrintOptions = { ...PROFILES.default, sciMode: null };

/**
 * `torch.set_printoptions`: a profile first, then the given fields on top of it.
 * NOTE: like PyTorch, `sciMode` is always assigned — omitting it resets it to null (automatic).
 */
export function setPrintOptions(o: Partial<PrintOptions> & { profile?: PrintProfile }): void {
  const next: PrintOptions = { ...current };
  if (o.profile !== undefined) Object.assign(next, PROFILES[o.profile]);
  if (o.precision !== undefined) next.precision = checkCount('precision', o.precision);
  if (o.threshold !== undefined) next.threshold = o.threshold;
  if (o.edgeitems !== undefined) next.edgeitems = checkCount('edgeitems', o.edgeitems);
  if (o.linewidth !== undefined) next.linewidth = o.linewidth;
  next.sciMode = o.sciMode ?? null;
  current = next;
}

/** `torch.get_printoptions` (a copy: mutating it does not change the options). */
export function getPrintOptions(): PrintOptions {
  return { ...current };
}

/** The options in force for one call: the globals overridden by `overrides`. */
export function resolvePrintOptions(overrides?: Partial<PrintOptions>): PrintOptions {
  if (!overrides) return current;
  const resolved: PrintOptions = { ...current };
  // Skip explicit `undefined`s so `{ precision: undefined }` keeps the global value.
  if (overrides.precision !== undefined) resolved.precision = checkCount('precision', overrides.precision);
  if (overrides.threshold !== undefined) resolved.threshold = overrides.threshold;
  if (overrides.edgeitems !== undefined) resolved.edgeitems = checkCount('edgeitems', overrides.edgeitems);
  if (overrides.linewidth !== undefined) resolved.linewidth = overrides.linewidth;
  if (overrides.sciMode !== undefined) resolved.sciMode = overrides.sciMode;
  return resolved;
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`print option ${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}
