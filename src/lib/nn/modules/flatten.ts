import type { Tensor } from '../../tensor';
import { Module } from '../module';

export interface FlattenOptions {
  startDim?: number;
  endDim?: number;
}

/** `nn.Flatten(start_dim=1, end_dim=-1)`: flattens dims start..end (keeps the batch dim by default). */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim: number | FlattenOptions = 1, endDim = -1) {
    super();
    if (typeof startDim === 'object') {
      endDim = startDim.endDim ?? -1;
      startDim = startDim.startDim ?? 1;
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
