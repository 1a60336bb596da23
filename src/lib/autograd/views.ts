import type { Tensor } from '../tensor';
import { gradientEdge, Node } from './node';

/**
 * Operations on tensors the view machinery needs, injected by the op modules (import cycle).
 */
export interface ViewOps {
  zeros(shape: readonly number[], dtype: Tensor['dtype']): Tensor;
  clone(t: Tensor): Tensor;
  /** Copies `src` into `dst` in place (differentiably when recording). */
  copyInPlace(dst: Tensor, src: Tensor): void;
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
    const result = ops!.clone(grad ?? ops!.zeros(this.baseShape, this.baseDtype));
    const region = this.replay(result);
    const res = this.fn.apply([ops!.clone(region)]);
    const regionGrad = res[0] ?? ops!.zeros(region.shape, region.dtype);
    ops!.copyInPlace(region, regionGrad);
    return [result, ...res.slice(1)];
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
    if (grad) ops!.copyInPlace(this.replay(g), grad);
    return [g];
  }
}
