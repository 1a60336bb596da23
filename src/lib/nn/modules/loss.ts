import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from '../module';

/**
 * Loss modules (`nn.MSELoss()`, `nn.CrossEntropyLoss()` ...): they hold the options and call
 * `torch.nn.functional`. Called as `criterion(input, target)`. Class weights are buffers, as in
 * PyTorch (`_WeightedLoss`). The legacy `size_average` / `reduce` arguments are not supported.
 */

export type Reduction = 'none' | 'mean' | 'sum';

export interface LossOptions {
  reduction?: Reduction;
}

abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;
  constructor(options: LossOptions) {
    super();
    // NOTE: like PyTorch, an invalid reduction is reported by the functional call, not here.
    this.reduction = options.reduction ?? 'mean';
  }
}

export interface WeightedLossOptions extends LossOptions {
  weight?: Tensor | null;
}

abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;
  constructor(options: WeightedLossOptions) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
  }
}

/** `nn.MSELoss(reduction='mean')` */
export class MSELoss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** `nn.L1Loss(reduction='mean')` */
export class L1Loss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

export interface CrossEntropyLossOptions extends WeightedLossOptions {
  ignoreIndex?: number;
  labelSmoothing?: number;
}

/** `nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)` */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(options: CrossEntropyLossOptions = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing,
    });
  }
}

export interface NLLLossOptions extends WeightedLossOptions {
  ignoreIndex?: number;
}

/** `nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')` */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(options: NLLLossOptions = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** `nn.BCELoss(weight=None, reduction='mean')` (inputs are probabilities) */
export class BCELoss extends WeightedLoss {
  constructor(options: WeightedLossOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

export interface BCEWithLogitsLossOptions extends WeightedLossOptions {
  posWeight?: Tensor | null;
}

/** `nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)` (inputs are logits) */
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare posWeight: Tensor | null;
  constructor(options: BCEWithLogitsLossOptions = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
    this.registerBuffer('posWeight', options.posWeight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight, reduction: this.reduction, posWeight: this.posWeight,
    });
  }
}
