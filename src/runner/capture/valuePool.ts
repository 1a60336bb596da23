/**
 * Dead tensor copies and their value arrays, reused by new copies (arrays: of the same size).
 *
 * NOTE [Recycled copy buffers]
 * A training loop copies tensors of the same sizes every iteration and lets the previous
 * iteration's copies go: allocating those arrays anew was a large share of what the capture cost
 * (the garbage collector's work grows with every surviving byte). CopyBudget counts the holders of
 * each copy; when the last lets go, the copy is dead (nothing in the capture reads it again) and its
 * array comes here. A copy made for the backward pass running now is never recycled before the pass
 * ends: the pass's copy cache (GraphCapture.passCopies) may still hand it out.
 * Bounded: at most MAX_POOLED_VALUES numbers and MAX_FREE_COPIES copies wait here (on top of
 * NOTE [Capture memory bound]).
 */
import { allocate, type DType, type Storage } from '../../lib/dtype';
import type { TensorCopy } from './tensorCopy';

export const MAX_POOLED_VALUES = 1_000_000;
/** Arrays kept per (dtype, length): a loop reuses a few per size. */
const MAX_PER_SIZE = 64;
export const MAX_FREE_COPIES = 8192;

export class ValuePool {
  private readonly free = new Map<DType, Map<number, Storage[]>>();
  private pooled = 0;
  private readonly copies: TensorCopy[] = [];

  /** A dead copy to refill, if any. */
  takeCopy(): TensorCopy | undefined {
    return this.copies.pop();
  }

  giveCopy(c: TensorCopy): void {
    if (this.copies.length < MAX_FREE_COPIES) this.copies.push(c);
  }

  /** An array of `n` elements of `dtype` (contents unspecified: the caller fills all of it). */
  take(dtype: DType, n: number): Storage {
    const list = this.free.get(dtype)?.get(n);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.pooled -= n;
      return reused;
    }
    return allocate(dtype, n);
  }

  give(dtype: DType, values: Storage): void {
    const n = values.length;
    if (this.pooled + n > MAX_POOLED_VALUES) return;
    let sizes = this.free.get(dtype);
    if (sizes === undefined) this.free.set(dtype, (sizes = new Map()));
    let list = sizes.get(n);
    if (list === undefined) sizes.set(n, (list = []));
    if (list.length >= MAX_PER_SIZE) return;
    list.push(values);
    this.pooled += n;
  }
}
