import { RuntimeError } from '../errors';
import type { Tensor } from '../tensor';
import { isGradEnabled } from './gradMode';
import { gradientEdge, Node } from './node';

/**
 * Operations on tensors the view machinery needs, injected by the op modules (import cycle).
 */
export interface ViewOps {
  zeros(shape: readonly number[], dtype: Tensor['dtype']): Tensor;
  clone(t: Tensor): Tensor;
  /** Copies `src` into `dst` in place, unrecorded. */
  copyInPlace(dst: Tensor, src: Tensor): void;
  /** An int64 tensor of `shape` holding 0, 1, 2, … (each element's flat position). */
  positions(shape: readonly number[]): Tensor;
}
let ops: ViewOps | null = null;
export function _setViewOps(o: ViewOps): void {
  ops = o;
}

/**
 * NOTE [In-place through a view]
 * `y[1:3].mul_(10)` changes `y`, so y's history must include the multiplication. As PyTorch does,
 * the base gets a CopySlices node: its gradient is the incoming one with the view's region replaced
 * by what the in-place op's backward makes of that region. The view itself then reads its value
 * from the new base history (AsStridedBackward0).
 */
export function rebaseHistoryThroughView(view: Tensor, fn: Node): void {
  const base = view._base!;
  const replay = view._viewReplay!;
  const copySlices = new CopySlices(gradientEdge(base), replay, fn, base.shape, base.dtype);
  base._gradFn = copySlices;
  base._outputNr = 0;
  view._gradFn = new ViewOfBase(copySlices, replay, base.shape, base.dtype);
  view._outputNr = 0;
}

class CopySlices extends Node {
  readonly name = 'CopySlices';
  constructor(baseEdge: ReturnType<typeof gradientEdge>, private readonly replay: (b: Tensor) => Tensor,
    private readonly fn: Node, private readonly baseShape: readonly number[], private readonly baseDtype: Tensor['dtype']) {
    super();
    this.next = [baseEdge, ...fn.next.slice(1)];
  }
  get numOutputs(): number {
    return 1;
  }
  apply([grad]: (Tensor | null)[]): (Tensor | null)[] {
    if (isGradEnabled()) return this.applyRecorded(grad ?? ops!.zeros(this.baseShape, this.baseDtype));
    const result = ops!.clone(grad ?? ops!.zeros(this.baseShape, this.baseDtype));
    const region = this.replay(result);
    const res = this.fn.apply([ops!.clone(region)]);
    const regionGrad = res[0] ?? ops!.zeros(region.shape, region.dtype);
    ops!.copyInPlace(region, regionGrad);
    return [result, ...res.slice(1)];
  }
  /**
   * The same with recorded ops (createGraph): the region is read with gather and written back with
   * an out-of-place scatter at its positions in the base, so higher derivatives flow through both.
   */
  private applyRecorded(grad: Tensor): (Tensor | null)[] {
    const at = regionPositions(this.replay, this.baseShape);
    const flat = grad.reshape(-1);
    const region = flat.gather(0, at.reshape(-1)).reshape(at.shape);
    const res = this.fn.apply([region]);
    const regionGrad = res[0] ?? ops!.zeros(at.shape, grad.dtype);
    return [flat.scatter(0, at.reshape(-1), regionGrad.reshape(-1)).reshape(this.baseShape), ...res.slice(1)];
  }
  override releaseVariables(): void {
    this.fn.releaseVariables();
  }
}

/** The grad_fn of a view after its base's history was rewritten. */
class ViewOfBase extends Node {
  readonly name = 'AsStridedBackward0';
  constructor(base: Node, private readonly replay: (b: Tensor) => Tensor,
    private readonly baseShape: readonly number[], private readonly baseDtype: Tensor['dtype']) {
    super();
    this.next = [{ node: base, inputNr: 0 }];
  }
  get numOutputs(): number {
    return 1;
  }
  apply([grad]: (Tensor | null)[]): (Tensor | null)[] {
    const g = ops!.zeros(this.baseShape, this.baseDtype);
    if (grad && isGradEnabled()) {
      // Recorded (createGraph): scatter the view's gradient to its positions in the base.
      const at = regionPositions(this.replay, this.baseShape).reshape(-1);
      return [g.reshape(-1).scatter(0, at, grad.reshape(-1)).reshape(this.baseShape)];
    }
    if (grad) ops!.copyInPlace(this.replay(g), grad);
    return [g];
  }
}

/** Where each element of the view `replay` takes lies in a base of `baseShape` (flat positions). */
function regionPositions(replay: (b: Tensor) => Tensor, baseShape: readonly number[]): Tensor {
  return replay(ops!.positions(baseShape));
}

/**
 * NOTE [Views PyTorch will not rebase]
 * Two kinds of view may not be modified in place while recording (PyTorch's CreationMeta), because
 * rewriting the base's history through them would be wrong or ambiguous: the outputs of an op that
 * returns several views (split, chunk, unbind: their one backward node cannot be rewritten for one
 * output) and views made in no-grad mode (whether the in-place op should be tracked is unclear).
 * A view of such a view inherits the restriction; a new restriction replaces an inherited one.
 * Only these views are kept here; every other view is an ordinary one.
 */
const enum ViewCreation { MultiOutput = 1, NoGrad = 2 }
const restricted = new WeakMap<Tensor, ViewCreation>();

/** Records how `view` (just made from `input`) was created. */
export function noteViewCreation(input: Tensor, view: Tensor, multiOutput: boolean): void {
  // NOTE: views under noGrad are made by every optimizer step and init; only those of a base that
  // requires grad can ever reach checkViewRebase, so only those are kept.
  const base = input._base ?? input;
  const made = !isGradEnabled()
    ? (base._requiresGrad || base._gradFn !== null ? ViewCreation.NoGrad : undefined)
    : multiOutput ? ViewCreation.MultiOutput : undefined;
  const creation = made ?? restricted.get(input);
  if (creation !== undefined) restricted.set(view, creation);
}

/** Throws PyTorch's error when an in-place op that records would modify a restricted view. */
export function checkViewRebase(view: Tensor): void {
  const creation = restricted.get(view);
  if (creation === undefined) return;
  const fn = view._gradFn;
  let msg: string;
  if (creation === ViewCreation.NoGrad || fn === null) {
    const prefix = fn === null
      ? 'A view was created in'
      : `Output ${view._outputNr} of ${fn.name} is a view of a view which was created in`;
    msg = `${prefix} no_grad mode and is being modified inplace with grad mode enabled.`;
  } else {
    msg = `Output ${view._outputNr} of ${fn.name} is a view and is being modified inplace.`;
  }
  if (creation === ViewCreation.MultiOutput) {
    msg += ' This view is the output of a function that returns multiple views. Such functions do not'
      + ' allow the output views to be modified inplace. You should replace the inplace operation by an'
      + ' out-of-place one.';
  } else {
    msg += ' Given that this use case is ambiguous and error-prone, it is forbidden.'
      + ' You can clarify your code by moving both the view and the inplace either both'
      + ' inside the no_grad block (if you don\'t want the inplace to be tracked) or both outside (if you want'
      + ' the inplace to be tracked).';
  }
  throw new RuntimeError(msg);
}
