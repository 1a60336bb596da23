/**
 * Runs the oracle's call language (README §1) and step scripts (README §4) against the library's
 * PUBLIC API, translating Python spellings to ours by one generic rule:
 *
 *   torch.<dotted.snake_name>(*args, **kwargs)  →  torch.<dotted.camelName>(...args, { camelKwargs })
 *   self.<snake_name>(*args, **kwargs)          →  self.<camelName>(...args, { camelKwargs })
 *
 * Positional arguments stay positional; all keyword arguments go into ONE trailing options
 * object with camelCase keys (api-conventions.md "Naming and arguments"; the library also accepts
 * Python's keyword spellings of positional parameters there, e.g. `{ dim: 1 }`). No options object
 * is passed when there are no kwargs. Names keep leading/trailing underscores
 * (`requires_grad_` → `requiresGrad_`, `zero_` stays `zero_`). A last segment in PascalCase names a
 * class and is constructed with `new` (`nn.Linear` → `new torch.nn.Linear(...)`).
 *
 * The only per-name exceptions are Python's operator methods, in `OPERATOR_METHODS` below.
 */
import * as torch from '../../src/lib/index';
import type { ObservedTensor } from './compare';
import type { FixtureCall, FixtureTensor, FixtureValue, Step } from './fixtures';

type Tensor = torch.Tensor;
type Warning = torch.TorchWarning;

/** The API is looked up by name, so it is walked as plain objects. */
type Namespace = Record<string, unknown>;
type AnyFunction = (...args: unknown[]) => unknown;
type AnyClass = new (...args: unknown[]) => unknown;

/** The library lacks a function, method or attribute the case uses (the op is not implemented yet). */
export class MissingApiError extends Error {
  constructor(readonly api: string) {
    super(`missing API: ${api}`);
    this.name = 'MissingApiError';
  }
}

/** The fixture uses something this interpreter does not understand (a harness bug, not a library one). */
export class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}

/** A Python tuple: kept apart from lists until the call boundary, because indexing treats them differently. */
class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** `requires_grad_` → `requiresGrad_`, `binary_cross_entropy` → `binaryCrossEntropy`, `zero_` → `zero_`. */
export function camelCase(name: string): string {
  const lead = /^_*/.exec(name)![0];
  const trail = /_*$/.exec(name.slice(lead.length))![0];
  const core = name.slice(lead.length, name.length - trail.length);
  return lead + core.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()) + trail;
}

/**
 * NOTE [Python floats]
 * `{"$float": 2.0}` is a Python float with an integral value. A JS number cannot say "float", and
 * our API reads integral numbers as Python ints (api-conventions.md "Numbers"); a TypeScript user
 * writes the dtype instead (`torch.arange(2000, { dtype: torch.float32 })`). This is the ONE place
 * that translates: an integral Python float among the arguments of a factory that infers its dtype
 * from its arguments (and was given none) becomes that explicit dtype — what Python infers. Elsewhere
 * (arithmetic on float tensors) the value alone is enough. A 0-dim float tensor is no substitute:
 * 0-dim tensors take part in type promotion differently from Python numbers.
 */
class PythonFloat {
  constructor(readonly value: number) {}
}
export function pythonFloat(x: number): unknown {
  return Number.isInteger(x) ? new PythonFloat(x) : x;
}
/** Factories whose dtype follows their (Python) number arguments. */
const DTYPE_INFERRING_FACTORIES = new Set(['arange', 'full', 'tensor', 'scalar_tensor', 'linspace']);
function containsPythonFloat(v: unknown): boolean {
  if (v instanceof PythonFloat) return true;
  if (v instanceof PyTuple) return v.items.some(containsPythonFloat);
  return Array.isArray(v) && v.some(containsPythonFloat);
}
function unwrapPythonFloats(v: unknown): unknown {
  if (v instanceof PythonFloat) return v.value;
  return Array.isArray(v) ? v.map(unwrapPythonFloats) : v;
}

/** Python's operator methods, which have TypeScript names of their own (api-conventions.md "Indexing"). */
const OPERATOR_METHODS: Record<string, (self: unknown, args: unknown[]) => unknown> = {
  /**
   * `x[key]` → `x.index(...keys)`: a tuple key is several keys, anything else one. On a sequence
   * the API returned (a JS array standing for a Python tuple, e.g. `autograd.grad(...)[0]`) it is
   * plain element access.
   */
  __getitem__: (self, [key]) => (Array.isArray(self) ? sequenceItem(self, key) : callMethod(self, 'index', indexKeys(key))),
  /** `x[key] = value` → `x.indexPut_(keys, value)` with the same keys as `index`. */
  __setitem__: (self, [key, value]) => callMethod(self, 'indexPut_', [indexKeys(key), toJs(value)]),
};

/** `seq[i]` with Python's negative indices and its error. */
function sequenceItem(seq: readonly unknown[], key: unknown): unknown {
  if (typeof key !== 'number' || !Number.isInteger(key)) throw new HarnessError(`sequence index ${String(key)} is not an int`);
  const i = key < 0 ? key + seq.length : key;
  if (i < 0 || i >= seq.length) throw new torch.IndexError('tuple index out of range');
  return seq[i];
}

function indexKeys(key: unknown): unknown[] {
  return key instanceof PyTuple ? key.items.map(toJs) : [toJs(key)];
}

/** Decoded values as the API takes them: tuples become arrays (sizes, dims, lists of tensors). */
function toJs(value: unknown): unknown {
  if (value instanceof PythonFloat) return value.value;
  if (value instanceof PyTuple) return value.items.map(toJs);
  if (Array.isArray(value)) return value.map(toJs);
  return value;
}

function typeName(self: unknown): string {
  if (self instanceof torch.Tensor) return 'Tensor';
  if (self === null || self === undefined) return String(self);
  return (self as object).constructor?.name ?? typeof self;
}

function callMethod(self: unknown, name: string, args: unknown[]): unknown {
  const method = self === null || self === undefined ? undefined : (self as Namespace)[name];
  if (typeof method !== 'function') throw new MissingApiError(`${typeName(self)}.${name}`);
  return (method as AnyFunction).apply(self, args);
}

/** `nn.functional.cross_entropy` → the value of `torch.nn.functional.crossEntropy`. */
function resolveTorchPath(dotted: string): { value: unknown; api: string } {
  const names = dotted.split('.').map(camelCase);
  let value: unknown = torch;
  for (const name of names) {
    value = value === null || value === undefined ? undefined : (value as Namespace)[name];
  }
  return { value, api: `torch.${names.join('.')}` };
}

/** A slice in Python syntax, as the API takes it: `slice(1, None, 2)` → `'1::2'`. */
function sliceString([start, stop, step]: (number | null)[]): string {
  const part = (x: number | null): string => (x === null ? '' : String(x));
  return `${part(start)}:${part(stop)}${step === null ? '' : `:${part(step)}`}`;
}

/** Row-major `data` as the nested lists `torch.tensor` takes. */
function nest(data: readonly unknown[], shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  const [n, ...rest] = shape;
  const stride = rest.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(nest(data.slice(i * stride, (i + 1) * stride), rest));
  return out;
}

function flatten(x: unknown, out: (number | boolean)[]): (number | boolean)[] {
  if (Array.isArray(x)) for (const item of x) flatten(item, out);
  else out.push(x as number | boolean);
  return out;
}

/** A tensor's dtype, shape and values, read through the public API (a snapshot: later writes don't change it). */
export function observe(t: Tensor): ObservedTensor {
  return { dtype: t.dtype, shape: [...t.shape], data: flatten(t.tolist(), []) };
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof torch.Tensor;
}

/** What a raised error looks like to the fixtures: Python's exception class and str(e). */
export function describeError(e: unknown): { type: string; message: string } {
  if (e instanceof torch.TorchError) return { type: e.pyType, message: e.message };
  if (e instanceof Error) return { type: e instanceof MissingApiError || e instanceof HarnessError ? e.name : `JS ${e.name}`, message: e.message };
  return { type: 'JS throw', message: String(e) };
}

/** Runs `fn`, keeping both its outcome and every warning it raised (also when it throws). */
function capture(fn: () => unknown): { value?: unknown; error?: unknown; warnings: Warning[] } {
  const { result, warnings } = torch.catchWarnings(() => {
    try {
      return { value: fn() };
    } catch (error) {
      return { error: error ?? new Error('undefined was thrown') };
    }
  });
  return { ...result, warnings };
}

/** A step in problem lines: its position and what it does (`step 3 (y = mul)`, `step 5 (check x)`). */
export function describeStep(index: number, step: Step): string {
  const what = step.op ?? (step.check !== undefined ? `check ${step.check}`
    : step.check_hook !== undefined ? `check_hook ${step.check_hook}`
    : step.attr !== undefined ? `${step.of}.${step.attr}`
    : step.set_attr !== undefined ? `${step.of}.${step.set_attr} =` : `with ${step.with}`);
  return `step ${index} (${step.let !== undefined ? `${step.let} = ` : ''}${what})`;
}

/** What running one step produced, for the tests to compare with its `expect`. */
export type StepOutcome =
  /** a call, `attr` read or `set_attr` write */
  | { kind: 'call'; value?: unknown; error?: unknown; warnings: Warning[] }
  /** `check`: the variable and its `.grad` (read like Python reads it, with its warnings) */
  | { kind: 'check'; target: unknown; grad?: unknown; gradError?: unknown; gradWarnings: Warning[] }
  /** `check_hook`: the gradients the hook received (undefined: no such hook) */
  | { kind: 'check_hook'; calls: ObservedTensor[] | undefined };

export type StepVisitor = (step: Step, outcome: StepOutcome) => void;

/** One environment of named variables and hook logs: one case. */
export class Interpreter {
  private readonly env = new Map<string, unknown>();
  private readonly hookLogs = new Map<string, ObservedTensor[]>();

  bind(name: string, value: unknown): void {
    this.env.set(name, value);
  }

  lookup(name: string): unknown {
    if (!this.env.has(name)) throw this.unbound(name);
    return this.env.get(name);
  }

  private unbound(name: string): HarnessError {
    return new HarnessError(`variable ${JSON.stringify(name)} is unbound (the step that binds it failed)`);
  }

  /** A fixture tensor object as a fresh contiguous leaf (README §3 "Inputs"). */
  tensorFromFixture(t: FixtureTensor, requiresGrad = false): Tensor {
    const dtype = t.dtype as torch.DType;
    const options = requiresGrad ? { dtype, requiresGrad } : { dtype };
    // Nested lists cannot spell a shape with a zero before other dims ([0, 3]); zeros() can.
    if (t.data.length === 0) return torch.zeros(t.shape, options);
    const data = t.data.map((x) => (typeof x === 'string' ? Number(x) : x));
    return torch.tensor(nest(data, t.shape) as never, options);
  }

  /** A JSON value of the call language as a JS value (README §1 "Arguments"). */
  decode(v: FixtureValue): unknown {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.decode(x));
    const tagged = v as Record<string, unknown>;
    const keys = Object.keys(tagged);
    if (keys.length !== 1 || !keys[0].startsWith('$')) {
      throw new HarnessError(`not a value of the call language: ${JSON.stringify(v)}`);
    }
    const payload = tagged[keys[0]];
    switch (keys[0]) {
      case '$var': return this.lookup(payload as string);
      case '$float': return pythonFloat(typeof payload === 'string' ? Number(payload) : (payload as number));
      case '$tuple': return new PyTuple((payload as FixtureValue[]).map((x) => this.decode(x)));
      case '$slice': return sliceString(payload as (number | null)[]);
      case '$ellipsis': return '...';
      case '$dtype': return payload as string;
      case '$tensor': return this.tensorFromFixture(payload as FixtureTensor);
      case '$hook': return this.makeHook(payload as { name: string; returns: FixtureCall | null });
      default: throw new HarnessError(`unknown tag ${keys[0]}`);
    }
  }

  /** Runs one call (README §1 "Calls"); throws whatever the library throws. */
  call(c: FixtureCall): unknown {
    const decoded = (c.args ?? []).map((a) => this.decode(a));
    const kwargEntries = Object.entries(c.kwargs ?? {}).map(([k, v]) => [k, this.decode(v)] as const);
    if (DTYPE_INFERRING_FACTORIES.has(c.op) && !kwargEntries.some(([k]) => k === 'dtype') &&
      (decoded.some(containsPythonFloat) || kwargEntries.some(([, v]) => containsPythonFloat(v)))) {
      kwargEntries.push(['dtype', torch.getDefaultDtype()]); // See NOTE [Python floats]
    }
    const args = decoded.map(unwrapPythonFloats);
    const options = kwargEntries.length === 0 ? [] :
      [Object.fromEntries(kwargEntries.map(([k, v]) => [camelCase(k), toJs(unwrapPythonFloats(v))]))];
    if ((c.call ?? 'function') === 'method') {
      const [self, ...rest] = args;
      const operator = OPERATOR_METHODS[c.op];
      if (operator) {
        if (options.length > 0) throw new HarnessError(`${c.op} takes no keyword arguments`);
        return operator(self, rest);
      }
      return callMethod(self, camelCase(c.op), [...rest.map(toJs), ...options]);
    }
    const { value, api } = resolveTorchPath(c.op);
    if (typeof value !== 'function') throw new MissingApiError(api);
    const jsArgs = [...args.map(toJs), ...options];
    const lastName = api.slice(api.lastIndexOf('.') + 1);
    return /^[A-Z]/.test(lastName) ? new (value as AnyClass)(...jsArgs) : (value as AnyFunction)(...jsArgs);
  }

  /** Reads `obj.<attr>` (README §4 `attr`), e.g. `grad`, `retains_grad`. */
  readAttr(obj: unknown, attr: string): unknown {
    const name = camelCase(attr);
    // Modules are callable (NOTE [Callable modules] in nn/module.ts): objects or functions.
    const isObject = obj !== null && (typeof obj === 'object' || typeof obj === 'function');
    if (!isObject || !(name in obj)) throw new MissingApiError(`${typeName(obj)}.${name}`);
    return (obj as Namespace)[name];
  }

  /** A `$hook`: logs each incoming gradient, returns null or the evaluated `returns` call with `grad` bound. */
  private makeHook({ name, returns }: { name: string; returns: FixtureCall | null }): (grad: Tensor) => Tensor | null {
    const log: ObservedTensor[] = [];
    this.hookLogs.set(name, log);
    return (grad) => {
      log.push(observe(grad));
      if (returns === null) return null;
      const outer = this.env.get('grad');
      const hadOuter = this.env.has('grad');
      this.env.set('grad', grad);
      try {
        return this.call(returns) as Tensor;
      } finally {
        if (hadOuter) this.env.set('grad', outer);
        else this.env.delete('grad');
      }
    };
  }

  /** Runs steps in order (README §4), calling `visit` with each step's outcome; nested `with` steps too. */
  run(steps: readonly Step[], visit: StepVisitor = () => {}): void {
    for (const step of steps) this.runStep(step, visit);
  }

  private runStep(step: Step, visit: StepVisitor): void {
    if (step.with !== undefined) {
      this.runWith(step, visit);
      return;
    }
    if (step.check !== undefined) {
      // An earlier failed step leaves its variable unbound: report it here and carry on.
      if (!this.env.has(step.check)) {
        visit(step, { kind: 'check', target: undefined, gradError: this.unbound(step.check), gradWarnings: [] });
        return;
      }
      const target = this.env.get(step.check);
      const g = capture(() => this.readAttr(target, 'grad'));
      visit(step, { kind: 'check', target, grad: g.value, gradError: g.error, gradWarnings: g.warnings });
      return;
    }
    if (step.check_hook !== undefined) {
      visit(step, { kind: 'check_hook', calls: this.hookLogs.get(step.check_hook)?.slice() });
      return;
    }
    let outcome: { value?: unknown; error?: unknown; warnings: Warning[] };
    if (step.set_attr !== undefined) {
      outcome = capture(() => {
        const obj = this.lookup(step.of!);
        this.readAttr(obj, step.set_attr!); // the attribute must exist: assigning would invent it
        (obj as Namespace)[camelCase(step.set_attr!)] = toJs(this.decode(step.value));
        return null;
      });
    } else if (step.attr !== undefined) {
      outcome = capture(() => this.readAttr(this.lookup(step.of!), step.attr!));
    } else if (step.op !== undefined) {
      outcome = capture(() => this.call(step as FixtureCall));
    } else {
      throw new HarnessError(`unknown step ${JSON.stringify(step)}`);
    }
    if (step.let !== undefined && outcome.error === undefined) this.bind(step.let, outcome.value);
    visit(step, { kind: 'call', ...outcome });
  }

  /** `with no_grad / enable_grad / set_grad_enabled(mode)` around the nested steps. */
  private runWith(step: Step, visit: StepVisitor): void {
    const body = (): void => this.run(step.steps ?? [], visit);
    switch (step.with) {
      case 'no_grad': torch.noGrad(body); return;
      case 'enable_grad': torch.enableGrad(body); return;
      case 'set_grad_enabled': {
        const [mode] = (step.args ?? []).map((a) => this.decode(a));
        torch.setGradEnabled(Boolean(mode), body);
        return;
      }
      default: throw new HarnessError(`unknown context manager ${String(step.with)}`);
    }
  }
}
