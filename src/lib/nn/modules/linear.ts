import type { DType } from '../../dtype';
import { linear } from '../../ops/linear';
import { Tensor } from '../../tensor';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { pyValue } from '../pyFormat';

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/**
 * `nn.Linear(in_features, out_features, bias=True)`: y = x·Wᵀ + b with W of shape
 * [out_features, in_features]. Default initialisation as PyTorch's `reset_parameters`:
 * W ~ kaiming_uniform_(a=√5) (= U(−1/√in, 1/√in)), then b ~ U(−1/√in, 1/√in), drawn in that
 * order from the default generator (bit-exact with PyTorch for the same seed).
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  declare weight: Parameter;
  declare bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, bias: boolean | LinearOptions = true, options: LinearOptions = {}) {
    super();
    if (typeof bias === 'object') { options = bias; bias = bias.bias ?? true; }
    const dtype = options.dtype ?? 'float32';
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(Tensor._empty([outFeatures, inFeatures], dtype));
    if (bias) this.bias = new Parameter(Tensor._empty([outFeatures], dtype));
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  /** `reset_parameters()`: PyTorch's default initialisation (see the class comment). */
  resetParameters(): void {
    kaimingUniform_(this.weight, Math.sqrt(5));
    if (this.bias !== null) {
      const { fanIn } = calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyValue(this.bias !== null)}`;
  }
}

/** `nn.Identity(*args, **kwargs)`: returns its input (the arguments are ignored, as in PyTorch). */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}
