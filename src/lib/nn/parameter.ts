import { notifyParameterCreated } from '../capture/hooks';
import { Tensor } from '../tensor';

/**
 * `torch.nn.Parameter`: a leaf tensor that a Module registers as a parameter when assigned to
 * one of its fields. Like PyTorch's `Parameter(data)` it is an alias of `data`'s storage made
 * outside autograd, and requires grad unless told otherwise. Ops on a Parameter return plain
 * Tensors. (The public `nn.Parameter` also accepts being called without `new`; see nn/index.ts.)
 */
export class Parameter extends Tensor {
  constructor(data?: Tensor, requiresGrad = true) {
    const src = data ?? Tensor._empty([0], 'float32');
    super(src._box, src.shape, src.dtype, src.strides, src.offset);
    this.requiresGrad_(requiresGrad);
    // The graph shows a parameter where the user's code made it (`nn.Linear(2, 16)`).
    notifyParameterCreated(this);
  }

  /** `repr(param)`: "Parameter containing:" and the tensor on the next line. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
