import type { DType } from '../../dtype';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import { ones_, zeros_ } from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { pyTuple, pyValue } from '../pyFormat';

export interface LayerNormOptions {
  eps?: number;
  elementwiseAffine?: boolean;
  /** Learn an additive bias too (PyTorch 2.1+; default true). */
  bias?: boolean;
  dtype?: DType;
}

/**
 * `nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True)`: normalises
 * over the last `normalized_shape` dims, then scales by `weight` (ones) and shifts by `bias`
 * (zeros).
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], eps: number | LayerNormOptions = 1e-5, options: LayerNormOptions = {}) {
    super();
    if (typeof eps === 'object') { options = eps; eps = eps.eps ?? 1e-5; }
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const dtype = options.dtype ?? 'float32';
    if (this.elementwiseAffine) {
      this.weight = new Parameter(Tensor._empty(this.normalizedShape, dtype));
      if (options.bias ?? true) this.bias = new Parameter(Tensor._empty(this.normalizedShape, dtype));
      else this.registerParameter('bias', null);
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    this.resetParameters();
  }

  /** `reset_parameters()`: weight ← 1, bias ← 0. */
  resetParameters(): void {
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyValue(this.eps)}, elementwise_affine=${pyValue(this.elementwiseAffine)}`;
  }
}
