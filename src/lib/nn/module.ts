import { captureListener, inScope, notifyMemberRegistered } from '../capture/hooks';
import { noGrad } from '../autograd/gradMode';
import { RuntimeError, TypeError_, ValueError } from '../errors';
import { formatSize, sameShape } from '../shape';
import { Tensor } from '../tensor';
import { displayNameOf, setDisplayName } from './callable';
import { Parameter } from './parameter';
import { addIndent, typeName } from './pyFormat';

/**
 * `torch.nn.Module`.
 *
 * NOTE [Callable modules]
 * PyTorch code calls modules: `model(x)`. A JavaScript object cannot be called, so the Module
 * constructor returns a Proxy around a function whose prototype is the module's class
 * prototype. The result is still an instance of its class (`instanceof`, methods, fields,
 * `#private` fields all work) and can also be called:
 *
 *   model(x)          // PyTorch style (runs `call`)
 *   model.call(x)     // the same, explicitly
 *   model.forward(x)  // the bare forward, without the capture scope
 *
 * The call signature comes from the interface merged with the class below: `Module<In, Out>`
 * instances are callable as `(...args: In) => Out`; the default is one Tensor in, one Tensor
 * out. A module whose forward takes other arguments says so: `class Pair extends
 * nn.Module<[Tensor, Tensor]> { forward(a: Tensor, b: Tensor) {...} }`.
 *
 * NOTE [Attribute registration]
 * PyTorch's `Module.__setattr__` registers Parameters, sub-Modules and buffers assigned to
 * attributes. The Proxy's `set`/`defineProperty`/`deleteProperty` traps do the same (class
 * field initialisers go through `defineProperty`), keeping `_parameters`, `_modules` and
 * `_buffers` in assignment order; the values also stay ordinary properties of the object, so
 * reading `this.weight` costs nothing extra. Declare fields that are assigned later with
 * `declare` (or assign them in the constructor) so they are registered when they get a value.
 *
 * Side effects of the design: `typeof module === 'function'`, and with `noImplicitOverride`
 * a field named `name` or `length` needs `override` (TypeScript sees Function's members).
 */
export interface Module<In extends unknown[] = [Tensor], Out = Tensor> {
  (...args: In): Out;
}

/** Any module, whatever its forward signature (for containers and traversal). */
export type AnyModule = Module<never[], unknown>;

type Internals = {
  training: boolean;
  _parameters: Map<string, Parameter | null>;
  _buffers: Map<string, Tensor | null>;
  _nonPersistentBuffers: Set<string>;
  _modules: Map<string, AnyModule | null>;
};

const SELF = Symbol('gradscope.nn.module.proxy');
const RAW = Symbol('gradscope.nn.module.target');
type Target = Internals & { [SELF]: AnyModule; [RAW]: Target };

/** Sets a plain property of the module object without the registration traps (the caller registered it). */
function setRaw(module: object, name: string, value: unknown): void {
  const target = (module as { [RAW]: Target })[RAW];
  Reflect.set(target, name, value, target);
}

export interface StateDictOptions {
  /** Key prefix (used for the recursion; `''` at the top). */
  prefix?: string;
  /** Keep the parameters themselves instead of detached aliases (`keep_vars=True`). */
  keepVars?: boolean;
}

/** `torch.nn.modules.module._IncompatibleKeys` */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Whether the module is in training mode (`train()` / `eval()`). */
  declare training: boolean;
  /** @internal own parameters by name, in registration order (null: registered as None). */
  declare _parameters: Map<string, Parameter | null>;
  /** @internal own buffers by name, in registration order. */
  declare _buffers: Map<string, Tensor | null>;
  /** @internal buffers left out of the state dict. */
  declare _nonPersistentBuffers: Set<string>;
  /** @internal direct sub-modules by name, in registration order. */
  declare _modules: Map<string, AnyModule | null>;

  constructor() {
    // See NOTE [Callable modules].
    const target = ((): void => undefined) as unknown as Target;
    delete (target as { name?: unknown }).name;
    delete (target as { length?: unknown }).length;
    Object.setPrototypeOf(target, new.target.prototype);
    const hidden = (value: unknown): PropertyDescriptor => ({ value, writable: true, configurable: true, enumerable: false });
    Object.defineProperties(target, {
      training: hidden(true),
      _parameters: hidden(new Map()),
      _buffers: hidden(new Map()),
      _nonPersistentBuffers: hidden(new Set()),
      _modules: hidden(new Map()),
    });
    const proxy = new Proxy(target, attributeTraps) as unknown as AnyModule;
    Object.defineProperty(target, SELF, { value: proxy });
    Object.defineProperty(target, RAW, { value: target });
    return proxy as unknown as this;
  }

  // ------------------------------------------------------------------ calling

  /** The computation; subclasses override it. */
  forward(..._args: In): Out {
    throw new NotImplementedError(`Module [${this._getName()}] is missing the required "forward" function`);
  }

  /**
   * `module(x)`: runs `forward` inside a capture scope named after the module (`Linear`, or
   * `Linear[fc1]` when called from the forward of a parent that holds it as `fc1`), so the
   * graph can collapse the module into one box.
   */
  call(...args: In): Out {
    if (captureListener() === null) return this.forward(...args);
    const label = scopeLabel(this as unknown as AnyModule);
    callStack.push(this as unknown as AnyModule);
    try {
      return inScope(label, 'module', () => this.forward(...args));
    } finally {
      callStack.pop();
    }
  }

  // ------------------------------------------------------------------ registration

  /** `register_parameter(name, param)`; `null` registers the name with no parameter (e.g. `bias=False`). */
  registerParameter(name: string, param: Parameter | null): void {
    checkMemberName(name, 'parameter');
    if (name in this && !this._parameters.has(name)) throw new KeyError(`attribute '${name}' already exists`);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError_(`cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    if (param !== null) checkLeafParameter(name, param);
    this._parameters.set(name, param);
    setRaw(this, name, param);
    if (param !== null) notifyMemberRegistered(this, name, param);
  }

  /** `register_buffer(name, tensor, persistent=True)`: state that is not a parameter (running stats, masks). */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    checkMemberName(name, 'buffer');
    if (name in this && !this._buffers.has(name)) throw new KeyError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError_(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._buffers.set(name, tensor);
    if (persistent) this._nonPersistentBuffers.delete(name);
    else this._nonPersistentBuffers.add(name);
    setRaw(this, name, tensor);
  }

  /** `register_module(name, module)` (= `add_module`). */
  registerModule(name: string, module: AnyModule | null): void {
    if (module !== null && !(module instanceof Module)) throw new TypeError_(`${typeName(module)} is not a Module subclass`);
    if (name.includes('.')) throw new KeyError(`module name can't contain ".", got: ${name}`);
    if (name === '') throw new KeyError('module name can\'t be empty string ""');
    if (name in this && !this._modules.has(name)) throw new KeyError(`attribute '${name}' already exists`);
    this._modules.set(name, module);
    setRaw(this, name, module);
    if (module !== null) notifyMemberRegistered(this, name, module);
  }

  /** `add_module(name, module)` */
  addModule(name: string, module: AnyModule | null): void {
    this.registerModule(name, module);
  }

  // ------------------------------------------------------------------ traversal

  /** `parameters(recurse=True)`: every parameter once, in registration order (own first, then children's). */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** `named_parameters()`: `[['0.weight', p], ...]` with PyTorch's dotted names. */
  namedParameters(prefix = '', recurse = true, removeDuplicate = true): [string, Parameter][] {
    return this.namedMembers((m) => m._parameters, prefix, recurse, removeDuplicate) as [string, Parameter][];
  }

  /** `buffers(recurse=True)` */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** `named_buffers()` */
  namedBuffers(prefix = '', recurse = true, removeDuplicate = true): [string, Tensor][] {
    return this.namedMembers((m) => m._buffers, prefix, recurse, removeDuplicate);
  }

  /** `children()`: the direct sub-modules, each once. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** `named_children()` */
  namedChildren(): [string, AnyModule][] {
    const seen = new Set<AnyModule>();
    const out: [string, AnyModule][] = [];
    for (const [name, m] of this._modules) {
      if (m !== null && !seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }

  /** `modules()`: this module and all descendants, depth first, each once. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** `named_modules()`: `[['', self], ['0', child], ['0.fc', grandchild], ...]`. */
  namedModules(prefix = '', removeDuplicate = true): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const memo = new Set<AnyModule>();
    const visit = (m: AnyModule, pre: string): void => {
      if (memo.has(m)) return;
      if (removeDuplicate) memo.add(m);
      out.push([pre, m]);
      for (const [name, child] of m._modules) {
        if (child !== null) visit(child, pre + (pre ? '.' : '') + name);
      }
    };
    visit(this as unknown as AnyModule, prefix);
    return out;
  }

  /** `get_submodule('encoder.0')` */
  getSubmodule(target: string): AnyModule {
    if (target === '') return this as unknown as AnyModule;
    let mod = this as unknown as AnyModule;
    for (const item of target.split('.')) {
      const next = mod._modules.get(item);
      if (next === undefined || next === null) {
        throw new AttributeError(`${mod._getName()} has no attribute \`${item}\``);
      }
      mod = next;
    }
    return mod;
  }

  /** `get_parameter('encoder.0.weight')` */
  getParameter(target: string): Parameter {
    const at = target.lastIndexOf('.');
    const mod = this.getSubmodule(at < 0 ? '' : target.slice(0, at));
    const name = target.slice(at + 1);
    const p = mod._parameters.get(name);
    if (p === undefined || p === null) throw new AttributeError(`\`${name}\` is not an nn.Parameter`);
    return p;
  }

  /** `apply(fn)`: calls `fn` on every sub-module (children first) and then on this module. */
  apply(fn: (module: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }

  // ------------------------------------------------------------------ modes and gradients

  /** `train(mode=True)`: sets training mode here and in every descendant. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('training mode is expected to be boolean');
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** `eval()` = `train(false)` (Dropout stops dropping). */
  eval(): this {
    return this.train(false);
  }

  /** `requires_grad_(requires_grad=True)` on every parameter. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** `zero_grad(set_to_none=True)`: drops every parameter's `.grad` (or zeroes it in place). */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) zeroGradOf(p, setToNone);
  }

  // ------------------------------------------------------------------ state dict

  /**
   * `state_dict()`: parameters then persistent buffers of each module, depth first, as detached
   * aliases (they share storage with the model). A Map keeps PyTorch's order for every key.
   */
  stateDict(options: StateDictOptions = {}): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    this.saveStateDict(out, options.prefix ?? '', options.keepVars ?? false);
    return out;
  }

  private saveStateDict(out: Map<string, Tensor>, prefix: string, keepVars: boolean): void {
    for (const [name, p] of this._parameters) {
      if (p !== null) out.set(prefix + name, keepVars ? p : p.detach());
    }
    for (const [name, b] of this._buffers) {
      if (b !== null && !this._nonPersistentBuffers.has(name)) out.set(prefix + name, keepVars ? b : b.detach());
    }
    for (const [name, m] of this._modules) {
      if (m !== null) (m as unknown as Module<never[], unknown>).saveStateDict(out, `${prefix}${name}.`, keepVars);
    }
  }

  /**
   * `load_state_dict(state_dict, strict=True)`: copies the values in place (under no_grad).
   * With `strict`, missing and unexpected keys raise PyTorch's RuntimeError.
   */
  loadStateDict(stateDict: Map<string, Tensor> | Readonly<Record<string, Tensor>>, strict = true): IncompatibleKeys {
    const entries = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    const load = (module: AnyModule, local: Map<string, Tensor>, prefix: string): void => {
      module.loadOwnState(local, prefix, missingKeys, unexpectedKeys, errors);
      for (const [name, child] of module._modules) {
        if (child === null) continue;
        const childPrefix = `${prefix}${name}.`;
        const childState = new Map([...local].filter(([k]) => k.startsWith(childPrefix)));
        load(child, childState, childPrefix);
      }
    };
    noGrad(() => load(this as unknown as AnyModule, entries, ''));
    if (strict) {
      if (unexpectedKeys.length > 0) {
        errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      }
      if (missingKeys.length > 0) {
        errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
      }
    }
    if (errors.length > 0) {
      throw new RuntimeError(`Error(s) in loading state_dict for ${this._getName()}:\n\t${errors.join('\n\t')}`);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** @internal `_load_from_state_dict` of this module alone. */
  loadOwnState(state: Map<string, Tensor>, prefix: string, missing: string[], unexpected: string[], errors: string[]): void {
    const local = new Map<string, Tensor>();
    for (const [name, p] of this._parameters) if (p !== null) local.set(name, p);
    for (const [name, b] of this._buffers) {
      if (b !== null && !this._nonPersistentBuffers.has(name)) local.set(name, b);
    }
    for (const [name, current] of local) {
      const key = prefix + name;
      const incoming = state.get(key);
      if (incoming === undefined) {
        missing.push(key);
        continue;
      }
      if (!(incoming instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeName(incoming)}`);
        continue;
      }
      if (!sameShape(incoming.shape, current.shape)) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${formatSize(incoming.shape)} from checkpoint, the shape in current model is ${formatSize(current.shape)}.`);
        continue;
      }
      current.copy_(incoming);
    }
    for (const key of state.keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const dot = rest.indexOf('.');
      if (dot >= 0) {
        if (!this._modules.has(rest.slice(0, dot))) unexpected.push(key);
      } else if (!local.has(rest)) {
        unexpected.push(key);
      }
    }
  }

  // ------------------------------------------------------------------ printing

  /** `_get_name()`: the class name shown by `repr`. */
  _getName(): string {
    return displayNameOf(this);
  }

  /** `extra_repr()`: the text inside the parentheses of this module's repr line (override it). */
  extraRepr(): string {
    return '';
  }

  /** `repr(module)`: exactly PyTorch's nested layout. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    for (const [key, m] of this._modules) {
      childLines.push(`(${key}): ${addIndent(m === null ? 'None' : m.toString(), 2)}`);
    }
    const lines = [...extraLines, ...childLines];
    let main = `${this._getName()}(`;
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }

  /** `console.log(model)` prints the repr, like `print(model)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ------------------------------------------------------------------ internals

  private namedMembers<T>(members: (m: AnyModule) => Map<string, T | null>, prefix: string, recurse: boolean,
    removeDuplicate: boolean): [string, T][] {
    const memo = new Set<T>();
    const out: [string, T][] = [];
    const mods: [string, AnyModule][] = recurse
      ? this.namedModules(prefix, removeDuplicate)
      : [[prefix, this as unknown as AnyModule]];
    for (const [modPrefix, m] of mods) {
      for (const [k, v] of members(m)) {
        if (v === null || memo.has(v)) continue;
        if (removeDuplicate) memo.add(v);
        out.push([modPrefix + (modPrefix ? '.' : '') + k, v]);
      }
    }
    return out;
  }
}

setDisplayName(Module, 'Module');

// ---------------------------------------------------------------------- attribute traps

/** See NOTE [Attribute registration]. */
const attributeTraps: ProxyHandler<Target> = {
  apply(target, _thisArg, args: unknown[]) {
    return (target[SELF] as unknown as Module<unknown[], unknown>).call(...args);
  },
  set(target, key, value) {
    if (typeof key === 'string') registerAssignment(target, key, value);
    // NOTE: receiver = target: accessors run on the target and plain writes do not re-enter the traps.
    return Reflect.set(target, key, value, target);
  },
  defineProperty(target, key, descriptor) {
    if (typeof key === 'string' && 'value' in descriptor) registerAssignment(target, key, descriptor.value);
    return Reflect.defineProperty(target, key, descriptor);
  },
  deleteProperty(target, key) {
    if (typeof key === 'string') {
      target._parameters.delete(key);
      target._buffers.delete(key);
      target._nonPersistentBuffers.delete(key);
      target._modules.delete(key);
    }
    return Reflect.deleteProperty(target, key);
  },
};

/** PyTorch's `Module.__setattr__` bookkeeping for `module.<key> = value`. */
function registerAssignment(target: Target, key: string, value: unknown): void {
  if (value instanceof Parameter) {
    target._buffers.delete(key);
    target._modules.delete(key);
    target._nonPersistentBuffers.delete(key);
    checkLeafParameter(key, value);
    target._parameters.set(key, value);
    notifyMemberRegistered(target[SELF], key, value);
  } else if (target._parameters.has(key)) {
    if (value !== null && value !== undefined) {
      throw new TypeError_(`cannot assign '${typeName(value)}' as parameter '${key}' (torch.nn.Parameter or None expected)`);
    }
    target._parameters.set(key, null);
  } else if (value instanceof Module) {
    target._parameters.delete(key);
    target._buffers.delete(key);
    target._nonPersistentBuffers.delete(key);
    target._modules.set(key, value as AnyModule);
    notifyMemberRegistered(target[SELF], key, value as AnyModule);
  } else if (target._modules.has(key)) {
    if (value !== null && value !== undefined) {
      throw new TypeError_(`cannot assign '${typeName(value)}' as child module '${key}' (torch.nn.Module or None expected)`);
    }
    target._modules.set(key, null);
  } else if (target._buffers.has(key)) {
    if (value !== null && value !== undefined && !(value instanceof Tensor)) {
      throw new TypeError_(`cannot assign '${typeName(value)}' as buffer '${key}' (torch.Tensor or None expected)`);
    }
    target._buffers.set(key, (value as Tensor | null | undefined) ?? null);
  }
}

function checkMemberName(name: string, kind: 'parameter' | 'buffer'): void {
  if (name.includes('.')) throw new KeyError(`${kind} name can't contain "."`);
  if (name === '') throw new KeyError(`${kind} name can't be empty string ""`);
}

function checkLeafParameter(name: string, param: Parameter): void {
  if (param.gradFn !== null) {
    throw new ValueError(
      `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. ` +
      `To express '${name}' as a function of another Tensor, compute the value in the forward() method.`);
  }
}

/** Zeroes or drops one tensor's gradient the way `zero_grad` does. */
export function zeroGradOf(p: Tensor, setToNone: boolean): void {
  const g = p.grad;
  if (g === null) return;
  if (setToNone) {
    p.grad = null;
    return;
  }
  if (g.gradFn !== null) g.detach_();
  else g.requiresGrad_(false);
  noGrad(() => g.zero_());
}

// ---------------------------------------------------------------------- capture scopes

/** Modules whose forward is running (only tracked while a capture listens). */
const callStack: AnyModule[] = [];

function scopeLabel(module: AnyModule): string {
  const name = module._getName();
  const parent = callStack[callStack.length - 1];
  if (parent !== undefined) {
    for (const [key, child] of parent._modules) if (child === module) return `${name}[${key}]`;
  }
  return name;
}

// ---------------------------------------------------------------------- Python exception types

/** Python's KeyError (PyTorch raises it for bad member names). */
export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

/** Python's NotImplementedError (a Module without `forward`). */
export class NotImplementedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotImplementedError';
  }
}

/** Python's AttributeError (`get_submodule` of a missing name). */
export class AttributeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttributeError';
  }
}
