/**
 * Replays the `steps` of an oracle case (README §4 format) on MiniTensor: tensor literals,
 * factories, the RNG and the few ops the print fixtures use. Unknown ops throw, so a fixture
 * that needs more fails loudly instead of being skipped.
 */
import type { DType } from '../../../src/lib/dtype';
import { TorchGenerator } from './mt19937';
import {
  argmax, arithmetic, binaryCrossEntropyWithLogits, compare, exp, matmul, mean, reshape, sum,
  transpose2d, type Operand, type PyScalar,
} from './miniOps';
import { fromValues, MiniTensor, numelOf, roundTo, runBackward, withGradMode } from './miniTensor';

/** JSON of a step, as stored in the fixtures. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Step {
  let?: string;
  op?: string;
  call?: 'function' | 'method';
  args?: Json[];
  kwargs?: Record<string, Json>;
  attr?: string;
  of?: string;
  with?: string;
  steps?: Step[];
}

/** A decoded argument value. */
type Value = MiniTensor | PyScalar | boolean | string | null | DTypeArg | Value[];

class DTypeArg {
  constructor(readonly dtype: DType) {}
}

export class StepEvaluator {
  readonly env = new Map<string, MiniTensor>();
  private readonly generator = new TorchGenerator();

  run(steps: readonly Step[]): void {
    for (const step of steps) this.runStep(step);
  }

  tensor(name: string): MiniTensor {
    const t = this.env.get(name);
    if (!t) throw new Error(`test evaluator: no tensor named ${name}`);
    return t;
  }

  private runStep(step: Step): void {
    if (step.with !== undefined) {
      const enabled = step.with === 'enable_grad'
        || (step.with === 'set_grad_enabled' && step.args?.[0] === true);
      withGradMode(enabled, () => this.run(step.steps ?? []));
      return;
    }
    if (step.attr !== undefined) {
      if (step.attr !== 'grad') throw new Error(`test evaluator: attribute ${step.attr} is not supported`);
      const grad = this.tensor(step.of ?? '').grad;
      if (!grad) throw new Error(`test evaluator: ${step.of}.grad is None`);
      if (step.let) this.env.set(step.let, grad);
      return;
    }
    if (step.op === undefined) throw new Error(`test evaluator: unsupported step ${JSON.stringify(step)}`);
    const result = step.op === 'tensor'
      ? this.literal(step.args?.[0] ?? null, step.kwargs ?? {})
      : this.call(step.op, (step.args ?? []).map((a) => this.decode(a)), this.decodeKwargs(step.kwargs ?? {}));
    if (step.let !== undefined) {
      if (!(result instanceof MiniTensor)) throw new Error(`test evaluator: ${step.op} did not return a tensor`);
      this.env.set(step.let, result);
    }
  }

  private decodeKwargs(kwargs: Record<string, Json>): Record<string, Value> {
    return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, this.decode(v)]));
  }

  private decode(arg: Json): Value {
    if (arg === null || typeof arg === 'boolean' || typeof arg === 'string') return arg;
    if (typeof arg === 'number') return { py: Number.isInteger(arg) ? 'int' : 'float', value: arg };
    if (Array.isArray(arg)) return arg.map((a) => this.decode(a));
    if ('$var' in arg) return this.tensor(String(arg.$var));
    if ('$float' in arg) return { py: 'float', value: Number(arg.$float) };
    if ('$tuple' in arg && Array.isArray(arg.$tuple)) return arg.$tuple.map((a) => this.decode(a));
    if ('$dtype' in arg) return new DTypeArg(String(arg.$dtype) as DType);
    throw new Error(`test evaluator: unsupported argument ${JSON.stringify(arg)}`);
  }

  /** `torch.tensor(data, dtype=..., requires_grad=...)` from the raw nested JSON list. */
  private literal(data: Json, kwargs: Record<string, Json>): MiniTensor {
    const shape: number[] = [];
    for (let level: Json = data; Array.isArray(level); level = level[0] ?? null) {
      shape.push(level.length);
      if (level.length === 0) break;
    }
    const leaves = flattenJson(data);
    if (leaves.length !== numelOf(shape)) throw new Error('test evaluator: ragged tensor literal');
    const scalars = leaves.map((leaf) => this.decode(leaf));
    const decoded = this.decodeKwargs(kwargs);
    const dtype = decoded.dtype instanceof DTypeArg ? decoded.dtype.dtype : inferDtype(scalars);
    const values = scalars.map((s) => {
      if (typeof s === 'boolean') return s ? 1 : 0;
      if (isScalar(s)) return s.value;
      throw new Error('test evaluator: tensor literal elements must be numbers or booleans');
    });
    return fromValues(dtype, shape, values, decoded.requires_grad === true);
  }

  private call(op: string, args: Value[], kwargs: Record<string, Value>): MiniTensor | null {
    const requiresGrad = kwargs.requires_grad === true;
    const dtypeKw = kwargs.dtype instanceof DTypeArg ? kwargs.dtype.dtype : undefined;
    switch (op) {
      case 'zeros': case 'ones': {
        const shape = shapeArgs(args);
        return fromValues(dtypeKw ?? 'float32', shape, new Array(numelOf(shape)).fill(op === 'ones' ? 1 : 0), requiresGrad);
      }
      case 'full': {
        const shape = shapeArgs([args[0]]);
        const fill = scalarArg(args[1]);
        const dtype = dtypeKw ?? (fill.py === 'float' ? 'float32' : 'int64');
        return fromValues(dtype, shape, new Array(numelOf(shape)).fill(fill.value), requiresGrad);
      }
      case 'eye': {
        const n = scalarArg(args[0]).value;
        const m = args.length > 1 ? scalarArg(args[1]).value : n;
        const values = Array.from({ length: n * m }, (_, i) => (Math.floor(i / m) === i % m ? 1 : 0));
        return fromValues(dtypeKw ?? 'float32', [n, m], values, requiresGrad);
      }
      case 'arange': return arange(args.map(scalarArg), dtypeKw, requiresGrad);
      case 'ones_like': {
        const like = tensorArg(args[0]);
        return fromValues(like.dtype, like.shape, new Array(like.numel).fill(1), requiresGrad);
      }
      case 'manual_seed':
        this.generator.manualSeed(scalarArg(args[0]).value);
        return null;
      case 'randn': {
        const shape = shapeArgs(args);
        return fromValues('float32', shape, this.generator.randn(numelOf(shape)), requiresGrad);
      }
      case 'add': case 'sub': case 'mul': case 'div': case 'remainder': case 'pow':
        return arithmetic(op, tensorArg(args[0]), operandArg(args[1]));
      case 'eq': case 'ne': case 'gt': case 'lt': case 'ge': case 'le':
        return compare(op, tensorArg(args[0]), operandArg(args[1]));
      case 'exp': return exp(tensorArg(args[0]));
      case 'sum': return sum(tensorArg(args[0]));
      case 'mean': return mean(tensorArg(args[0]));
      case 'argmax': return argmax(tensorArg(args[0]), scalarArg(kwargs.dim ?? args[1]).value);
      case 'matmul': return matmul(tensorArg(args[0]), tensorArg(args[1]));
      case 't': return transpose2d(tensorArg(args[0]));
      case 'reshape': return reshape(tensorArg(args[0]), shapeArgs(args.slice(1)));
      case 'detach': {
        const t = tensorArg(args[0]);
        return new MiniTensor(t.dtype, t.shape, t.data);
      }
      case 'nn.functional.binary_cross_entropy_with_logits':
        return binaryCrossEntropyWithLogits(tensorArg(args[0]), tensorArg(args[1]));
      case '__setitem__':
        setItem(tensorArg(args[0]), scalarArg(args[1]).value, args[2]);
        return null;
      case 'backward': {
        const root = tensorArg(args[0]);
        const gradient = args[1] instanceof MiniTensor ? args[1].data : Float64Array.of(1);
        if (!(args[1] instanceof MiniTensor) && root.numel !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
        runBackward(root, Float64Array.from(gradient));
        return null;
      }
      default:
        throw new Error(`test evaluator: op ${op} is not implemented`);
    }
  }
}

function flattenJson(data: Json): Json[] {
  return Array.isArray(data) ? data.flatMap(flattenJson) : [data];
}

function isScalar(v: Value): v is PyScalar {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof MiniTensor) && !(v instanceof DTypeArg);
}

function scalarArg(v: Value | undefined): PyScalar {
  if (v !== undefined && isScalar(v)) return v;
  throw new Error(`test evaluator: expected a number, got ${JSON.stringify(v)}`);
}

function tensorArg(v: Value | undefined): MiniTensor {
  if (v instanceof MiniTensor) return v;
  throw new Error('test evaluator: expected a tensor argument');
}

function operandArg(v: Value | undefined): Operand {
  return v instanceof MiniTensor ? v : scalarArg(v);
}

/** `f(2, 3)`, `f((2, 3))` and `f([2, 3])` all mean shape [2, 3]. */
function shapeArgs(args: Value[]): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  return flat.map((a) => scalarArg(a).value);
}

/** torch.tensor's dtype inference: bool if all bools, int64 if all Python ints, else float32. */
function inferDtype(scalars: Value[]): DType {
  if (scalars.length > 0 && scalars.every((s) => typeof s === 'boolean')) return 'bool';
  if (scalars.every((s) => typeof s === 'boolean' || (isScalar(s) && s.py === 'int'))) return scalars.length ? 'int64' : 'float32';
  return 'float32';
}

function arange(args: PyScalar[], dtype: DType | undefined, requiresGrad: boolean): MiniTensor {
  const [start, end, step] = args.length === 1
    ? [{ py: 'int', value: 0 } as PyScalar, args[0], { py: 'int', value: 1 } as PyScalar]
    : [args[0], args[1], args[2] ?? ({ py: 'int', value: 1 } as PyScalar)];
  const resolved = dtype ?? ([start, end, step].every((a) => a.py === 'int') ? 'int64' : 'float32');
  const n = Math.max(0, Math.ceil((end.value - start.value) / step.value));
  const values = Array.from({ length: n }, (_, i) => start.value + i * step.value);
  return fromValues(resolved, [n], values, requiresGrad);
}

/** `x[index] = value` along the first dimension (tensor is not tracked by autograd here). */
function setItem(x: MiniTensor, index: number, value: Value | undefined): void {
  if (x.requiresGrad) throw new Error('test evaluator: in-place assignment into a tensor that requires grad');
  const row = numelOf(x.shape.slice(1));
  const at = (index < 0 ? index + x.shape[0] : index) * row;
  const source = value instanceof MiniTensor ? value.data : [scalarArg(value).value];
  for (let i = 0; i < row; i++) x.data[at + i] = roundTo(x.dtype, source[source.length === 1 ? 0 : i]);
}
