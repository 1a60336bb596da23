import { enableGrad, noGrad } from '../autograd/gradMode';
import { TypeError_, ValueError, warn } from '../errors';
import { zeroGradOf } from '../nn/module';
import { displayNameOf } from '../nn/callable';
import { pyValue, typeName } from '../nn/pyFormat';
import { Tensor } from '../tensor';

/**
 * `torch.optim.Optimizer`: parameter groups with their hyperparameters, per-parameter state,
 * `zeroGrad()`, `step()`. Subclasses implement `updateGroup` (one group's update, run under
 * no_grad).
 *
 * Hyperparameters use camelCase keys (`lr`, `momentum`, `weightDecay`, `betas` ...), in
 * `paramGroups[i]` as in PyTorch's `param_groups[i]`, so schedules can change them:
 * `for (const g of opt.paramGroups) g.lr = 0.01`.
 */

/** One parameter group: its tensors and its hyperparameters. */
export type ParamGroup<H> = H & { params: Tensor[] };

/** What the constructor and `addParamGroup` accept for one group (missing hyperparameters take the defaults). */
export type ParamGroupInput<H> = Partial<H> & { params: Iterable<Tensor> | Tensor };

/** The first constructor argument: tensors (e.g. `model.parameters()`) or parameter groups. */
export type ParamsInput<H> = Iterable<Tensor> | Iterable<ParamGroupInput<H>>;

/** One parameter's state (momentum buffers, Adam moments, step counter). */
export type ParamState = Record<string, Tensor | null>;

/** `optimizer.state_dict()`: parameters are numbered in group order. */
export interface OptimizerStateDict<H> {
  state: Map<number, ParamState>;
  paramGroups: (H & { params: number[] })[];
}

export abstract class Optimizer<H extends object> {
  readonly defaults: H;
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state, created lazily by `step()`. */
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: ParamsInput<H>, defaults: H) {
    if (params instanceof Tensor) {
      throw new TypeError_(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(params)}`);
    }
    this.defaults = defaults;
    const list = [...params] as (Tensor | ParamGroupInput<H>)[];
    if (list.length === 0) throw new ValueError('optimizer got an empty parameter list');
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<H>] : list as ParamGroupInput<H>[];
    for (const g of groups) this.addParamGroup(g);
  }

  /** `add_param_group(group)`: e.g. to train newly unfrozen layers with their own lr. */
  addParamGroup(group: ParamGroupInput<H>): void {
    if (group === null || typeof group !== 'object' || group instanceof Tensor) {
      throw new TypeError_(`param_group must be a dict, but got ${typeName(group)}`);
    }
    if (group.params instanceof Set) {
      throw new TypeError_(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets ' +
        'will change between runs. Please use a list instead.');
    }
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError_(`optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`);
      if (!(p.isLeaf || p.retainsGrad)) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const filled = { ...this.defaults, ...group, params } as ParamGroup<H>;
    if (new Set(params).size !== params.length) {
      warn('optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; ' +
        'see github.com/pytorch/pytorch/issues/40967 for more information', false);
    }
    const existing = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => existing.has(p))) throw new ValueError('some parameters appear in more than one parameter group');
    this.paramGroups.push(filled);
  }

  /** `zero_grad(set_to_none=True)`: drops (or zeroes) the gradients of every parameter. */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) for (const p of g.params) zeroGradOf(p, setToNone);
  }

  /**
   * `step(closure=None)`: one update of every parameter that has a gradient. A closure, if
   * given, is called first with grad mode on (it should recompute the loss and call backward);
   * its result is returned.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
    return loss;
  }

  /** The state of `param`, created empty on first use. */
  protected stateOf(param: Tensor): ParamState {
    let s = this.state.get(param);
    if (s === undefined) {
      s = {};
      this.state.set(param, s);
    }
    return s;
  }

  /** One group's update (PyTorch's `_single_tensor_<name>` over the group's parameters that have grads). */
  protected abstract updateGroup(group: ParamGroup<H>): void;

  /** `state_dict()`: the state keyed by parameter number, and the groups with parameter numbers. */
  stateDict(): OptimizerStateDict<H> {
    const ids = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      return { ...(hyper as unknown as H), params: params.map((p) => {
        if (!ids.has(p)) ids.set(p, ids.size);
        return ids.get(p)!;
      }) };
    });
    const state = new Map<number, ParamState>();
    for (const [p, s] of this.state) {
      const id = ids.get(p);
      if (id !== undefined) state.set(id, { ...s });
    }
    return { state, paramGroups };
  }

  /** `load_state_dict(state_dict)`: hyperparameters and state from `stateDict()` of a matching optimizer. */
  loadStateDict(stateDict: OptimizerStateDict<H>): void {
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new ValueError('loaded state dict has a different number of parameter groups');
    }
    if (saved.some((g, i) => g.params.length !== this.paramGroups[i].params.length)) {
      throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
    const byId = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, k) => byId.set(id, this.paramGroups[i].params[k])));
    this.state.clear();
    for (const [id, s] of stateDict.state) {
      const p = byId.get(id);
      if (p !== undefined) this.state.set(p, { ...s });
    }
    saved.forEach((g, i) => {
      const { params: _ids, ...hyper } = g;
      Object.assign(this.paramGroups[i], hyper);
    });
  }

  /**
   * The hyperparameters `print(optimizer)` lists for a group, with PyTorch's snake_case names
   * (including the implementation switches PyTorch shows, at their CPU defaults).
   */
  protected abstract reprEntries(group: ParamGroup<H>): [string, unknown][];

  /** `repr(optimizer)`, PyTorch's layout: one block per group, keys sorted. */
  toString(): string {
    let s = `${displayNameOf(this)} (`;
    this.paramGroups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      const entries = this.reprEntries(g).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [k, v] of entries) s += `    ${k}: ${pyValue(v)}\n`;
    });
    return `${s})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
