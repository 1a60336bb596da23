/**
 * Global grad mode (PyTorch's thread-local GradMode; a worker runs one script on one thread).
 */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

export function setGradEnabledRaw(mode: boolean): boolean {
  const previous = enabled;
  enabled = mode;
  return previous;
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  const previous = setGradEnabledRaw(mode);
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** `with torch.no_grad():` — runs `fn` with gradient tracking off and returns its result. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** `with torch.enable_grad():` */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/**
 * `torch.set_grad_enabled(mode)`: with a function, scoped like the context manager;
 * without one, sets the mode globally like the plain call.
 */
export function setGradEnabled<T>(mode: boolean, fn?: () => T): T | undefined {
  if (fn) return withGradMode(mode, fn);
  enabled = mode;
  return undefined;
}

let anomaly = false;
/** `torch.autograd.set_detect_anomaly` state, read by the engine. */
export function isAnomalyEnabled(): boolean {
  return anomaly;
}
export function setDetectAnomalyRaw(mode: boolean): boolean {
  const previous = anomaly;
  anomaly = mode;
  return previous;
}
