import { IndexError } from '../../errors';
import type { Tensor } from '../../tensor';
import { Module, type AnyModule } from '../module';
import { addIndent } from '../pyFormat';

/**
 * Containers. Children are registered under the keys PyTorch uses ('0', '1', ... or the given
 * names), so `namedParameters()` and `stateDict()` produce PyTorch's dotted names (`0.weight`),
 * and the children are also properties: `seq[0]`, `layers[2]`, `seq.fc1`.
 */

/** A module called with one value, as containers call their children. */
type Callable1 = (input: unknown) => unknown;

function absoluteIndex(index: number, size: number): number {
  if (!Number.isInteger(index) || index < -size || index >= size) throw new IndexError(`index ${index} is out of range`);
  return index < 0 ? index + size : index;
}

/** Re-registers `modules` under the keys '0'..'n-1' (after an insert or a removal). */
function renumber(owner: AnyModule, modules: readonly AnyModule[]): void {
  for (const key of [...owner._modules.keys()]) delete (owner as unknown as Record<string, unknown>)[key];
  modules.forEach((m, i) => owner.registerModule(String(i), m));
}

/**
 * `nn.Sequential(*modules)` or `nn.Sequential(OrderedDict)`: calls its children in order, each
 * on the previous one's output. Its children are typed as one-Tensor-in modules (`nn.Module`),
 * the only kind Sequential can chain, so `seq[0](x)` is typed.
 *
 *   nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
 *   nn.Sequential(new Map([['fc', nn.Linear(2, 16)], ['act', nn.ReLU()]]))
 */
export class Sequential extends Module<[Tensor], Tensor> implements Iterable<Module> {
  [index: number]: Module;

  constructor(...modules: Module[] | [ReadonlyMap<string, Module> | Readonly<Record<string, Module>>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module)) {
      const entries = first instanceof Map ? [...first] : Object.entries(first as Record<string, Module>);
      for (const [name, m] of entries) this.registerModule(name, m as unknown as AnyModule);
    } else {
      (modules as Module[]).forEach((m, i) => this.registerModule(String(i), m as unknown as AnyModule));
    }
  }

  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this._modules.values()) {
      if (m !== null) x = (m as unknown as Callable1)(x);
    }
    return x as Tensor;
  }

  /** `len(seq)` */
  override get length(): number {
    return this._modules.size;
  }

  /** `seq[i]` with negative indices. */
  at(index: number): Module {
    const i = absoluteIndex(index, this.length);
    return [...this._modules.values()][i] as unknown as Module;
  }

  /** `seq.append(module)` */
  append(module: Module): this {
    this.registerModule(String(this.length), module as unknown as AnyModule);
    return this;
  }

  /** `seq.extend(modules)` */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** `seq.insert(index, module)` */
  insert(index: number, module: Module): this {
    const list = [...this];
    const n = list.length;
    if (!(index >= -n && index <= n)) throw new IndexError(`Index out of range: ${index}`);
    list.splice(index < 0 ? index + n : index, 0, module);
    renumber(this as unknown as AnyModule, list as unknown as AnyModule[]);
    return this;
  }

  /** `seq.pop(index)` */
  pop(index: number): Module {
    const list = [...this];
    const i = absoluteIndex(index, list.length);
    const [removed] = list.splice(i, 1);
    renumber(this as unknown as AnyModule, list as unknown as AnyModule[]);
    return removed;
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (const m of this._modules.values()) if (m !== null) yield m as unknown as Module;
  }
}

/**
 * `nn.ModuleList(modules)`: holds sub-modules in a list so they are registered (their parameters
 * are found by `parameters()`); it has no forward of its own.
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> implements Iterable<M> {
  [index: number]: M;

  constructor(modules: Iterable<M> = []) {
    super();
    this.extend(modules);
  }

  /** `len(list)` */
  override get length(): number {
    return this._modules.size;
  }

  /** `list[i]` with negative indices. */
  at(index: number): M {
    const i = absoluteIndex(index, this.length);
    return [...this._modules.values()][i] as M;
  }

  /** `list.append(module)` */
  append(module: M): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  /** `list.extend(modules)` */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** `list.insert(index, module)` */
  insert(index: number, module: M): this {
    const list = [...this];
    const n = list.length;
    const at = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
    list.splice(at, 0, module);
    renumber(this as unknown as AnyModule, list);
    return this;
  }

  /** `list.pop(index)` */
  pop(index = -1): M {
    const list = [...this];
    const i = absoluteIndex(index, list.length);
    const [removed] = list.splice(i, 1);
    renumber(this as unknown as AnyModule, list);
    return removed;
  }

  *[Symbol.iterator](): Iterator<M> {
    for (const m of this._modules.values()) if (m !== null) yield m as M;
  }

  /** PyTorch 2.x's ModuleList repr: runs of identical children are shown once (`(0-2): 3 x Linear(...)`). */
  override toString(): string {
    const reprs = [...this].map((m) => m.toString());
    if (reprs.length === 0) return `${this._getName()}()`;
    const blocks: { start: number; end: number; repr: string }[] = [];
    reprs.forEach((r, i) => {
      const last = blocks[blocks.length - 1];
      if (last !== undefined && last.repr === r) last.end = i;
      else blocks.push({ start: i, end: i, repr: r });
    });
    const lines = blocks.map(({ start, end, repr }) =>
      addIndent(start === end ? `(${start}): ${repr}` : `(${start}-${end}): ${end - start + 1} x ${repr}`, 2));
    return `${this._getName()}(\n  ${lines.join('\n  ')}\n)`;
  }
}
