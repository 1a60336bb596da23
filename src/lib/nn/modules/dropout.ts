import { ValueError } from '../../errors';
import { dropout } from '../../ops/dropout';
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import { pyValue } from '../pyFormat';

export interface DropoutModuleOptions {
  p?: number;
  inplace?: boolean;
}

/**
 * `nn.Dropout(p=0.5, inplace=False)`: in training mode zeroes each element with probability p
 * and scales the others by 1/(1-p) (F.dropout); after `eval()` it returns its input unchanged.
 */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;

  constructor(p: number | DropoutModuleOptions = 0.5, inplace = false) {
    super();
    if (typeof p === 'object') {
      inplace = p.inplace ?? false;
      p = p.p ?? 0.5;
    }
    if (p < 0 || p > 1) {
      throw new ValueError(`dropout probability has to be between 0 and 1, but got ${pyValue(p)}`);
    }
    this.p = p;
    this.inplace = inplace;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.inplace);
  }

  override extraRepr(): string {
    return `p=${pyValue(this.p)}, inplace=${pyValue(this.inplace)}`;
  }
}
