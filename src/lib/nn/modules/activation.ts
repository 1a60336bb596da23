import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from '../module';
import { pyFloat, pyStr, pyValue } from '../pyFormat';

/**
 * Activation modules: thin wrappers over `torch.nn.functional`, with PyTorch's constructor
 * arguments and `extra_repr`. Arguments Python code usually passes by keyword are also accepted
 * in an options object (`new nn.LeakyReLU({ negativeSlope: 0.2 })`).
 */

export interface InplaceOptions {
  inplace?: boolean;
}

function inplaceArg(inplace: boolean | InplaceOptions): boolean {
  return typeof inplace === 'object' ? inplace.inplace ?? false : inplace;
}

/** `nn.ReLU(inplace=False)` */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(inplace: boolean | InplaceOptions = false) {
    super();
    this.inplace = inplaceArg(inplace);
  }
  override forward(input: Tensor): Tensor {
    return F.relu(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** `nn.Sigmoid()` */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** `nn.Tanh()` */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

export interface GELUOptions {
  approximate?: 'none' | 'tanh';
}

/** `nn.GELU(approximate='none')` */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(approximate: 'none' | 'tanh' | GELUOptions = 'none') {
    super();
    this.approximate = typeof approximate === 'object' ? approximate.approximate ?? 'none' : approximate;
  }
  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate=${pyStr(this.approximate)}`;
  }
}

/** `nn.SiLU(inplace=False)` */
export class SiLU extends Module {
  readonly inplace: boolean;
  constructor(inplace: boolean | InplaceOptions = false) {
    super();
    this.inplace = inplaceArg(inplace);
  }
  override forward(input: Tensor): Tensor {
    return F.silu(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export interface LeakyReLUOptions extends InplaceOptions {
  negativeSlope?: number;
}

/** `nn.LeakyReLU(negative_slope=0.01, inplace=False)` */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(negativeSlope: number | LeakyReLUOptions = 1e-2, inplace = false) {
    super();
    if (typeof negativeSlope === 'object') {
      inplace = negativeSlope.inplace ?? false;
      negativeSlope = negativeSlope.negativeSlope ?? 1e-2;
    }
    this.negativeSlope = negativeSlope;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `negative_slope=${pyValue(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}

/** `nn.Softplus(beta=1.0, threshold=20.0)` */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(beta: number | SoftplusOptions = 1.0, threshold = 20.0) {
    super();
    if (typeof beta === 'object') {
      threshold = beta.threshold ?? 20.0;
      beta = beta.beta ?? 1.0;
    }
    this.beta = beta;
    this.threshold = threshold;
  }
  override forward(input: Tensor): Tensor {
    return F.softplus(input, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    // NOTE: PyTorch 2.x declares both as floats (defaults 1.0 and 20.0); see pyFormat.ts.
    return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`;
  }
}

export interface DimOptions {
  dim?: number | null;
}

function dimArg(dim: number | null | DimOptions | undefined): number | null {
  if (dim !== null && typeof dim === 'object') return dim.dim ?? null;
  return dim ?? null;
}

/** `nn.Softmax(dim=None)`: without a dim, PyTorch's legacy implicit dim (with its warning). */
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(dim?: number | null | DimOptions) {
    super();
    this.dim = dimArg(dim);
  }
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${pyValue(this.dim)}`;
  }
}

/** `nn.LogSoftmax(dim=None)` */
export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(dim?: number | null | DimOptions) {
    super();
    this.dim = dimArg(dim);
  }
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${pyValue(this.dim)}`;
  }
}
