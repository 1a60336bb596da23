/**
 * Errors and warnings with PyTorch's Python exception classes and exact messages, so a script
 * ported from PyTorch fails the same way and tests can compare `type` and `message` exactly.
 */
export type PyErrorType = 'RuntimeError' | 'IndexError' | 'ValueError' | 'TypeError';

export class TorchError extends Error {
  constructor(readonly pyType: PyErrorType, message: string) {
    super(message);
    this.name = pyType;
  }
}

export class RuntimeError extends TorchError {
  constructor(message: string) { super('RuntimeError', message); }
}
export class IndexError extends TorchError {
  constructor(message: string) { super('IndexError', message); }
}
export class ValueError extends TorchError {
  constructor(message: string) { super('ValueError', message); }
}
export class TypeError_ extends TorchError {
  constructor(message: string) { super('TypeError', message); }
}

export interface TorchWarning {
  category: 'UserWarning';
  message: string;
  /** true when PyTorch raises it from C++ (TORCH_WARN), false from Python `warnings.warn`. */
  cppOrigin: boolean;
}

type WarningSink = (w: TorchWarning) => void;

const shownOnce = new Set<string>();
/** Python shows a given warning once per call site by default; we show each message once. */
let sink: WarningSink = (w) => {
  if (shownOnce.has(w.message)) return;
  shownOnce.add(w.message);
  console.warn(`UserWarning: ${w.message}`);
};

export function warn(message: string, cppOrigin: boolean): void {
  sink({ category: 'UserWarning', message, cppOrigin });
}

/** Runs `fn` and returns every warning it raised (like `warnings.catch_warnings(record=True)`). */
export function catchWarnings<T>(fn: () => T): { result: T; warnings: TorchWarning[] } {
  const previous = sink;
  const warnings: TorchWarning[] = [];
  sink = (w) => { warnings.push(w); };
  try {
    return { result: fn(), warnings };
  } finally {
    sink = previous;
  }
}

/** Lets a host (the runner) route warnings somewhere else, e.g. to the capture. */
export function setWarningSink(next: WarningSink): WarningSink {
  const previous = sink;
  sink = next;
  return previous;
}
