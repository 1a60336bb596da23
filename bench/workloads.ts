/**
 * The workloads of issue 7, defined once; each library adapter (bench/peers/*.ts, and
 * bench/peers/torch_bench.py for PyTorch) implements them the way a user of that library would.
 *
 *   W1  C = A·B for square float32 matrices (GFLOP/s = 2n³ / time).
 *   W2  one training step of an MLP 784-128-10 with ReLU on a batch of 64: forward, softmax
 *       cross-entropy, backward, SGD update (lr 0.01).
 *   W3  a chain of 10,000 tiny elementwise ops (cycling mul, add, sub, div with three leaf
 *       tensors of the same size) on 1- and 4-element tensors, then backward from its sum:
 *       the per-op overhead of recording and of the backward engine.
 *   W4  the polynomial fit of "Learning PyTorch with Examples" (2000 points, 2000 iterations,
 *       y = a + b x + c x² + d x³ fitted to sin(x) by hand-written gradient descent, printing
 *       the loss every 100 iterations as the tutorial does) — examples/polynomial-fit.ts.
 */

export const W1_SIZES = [64, 256, 512] as const;

export const W2 = { batch: 64, inputs: 784, hidden: 128, classes: 10, lr: 0.01 } as const;

export const W3 = { ops: 10_000, sizes: [1, 4] as const } as const;

export const W4 = { points: 2000, iterations: 2000, learningRate: 1e-6 } as const;

/** Depth of the deep-graph check (ours only: a recursive engine would overflow the stack). */
export const DEEP_CHAIN_OPS = 1_000_000;

/** Result keys, in table order. */
export const KEYS = {
  w1: (n: number) => `W1 matmul n=${n}`,
  w2: 'W2 MLP step',
  w3: (size: number) => `W3 10k tiny ops (${size} el.) + backward`,
  w4: 'W4 polynomial fit',
} as const;

/** The workloads one JS library implements; each returns a thunk that runs one repetition. */
export interface LibraryAdapter {
  readonly name: string;
  readonly version: string;
  /** Prepares A, B (n×n) and returns one multiplication (its result read back or discarded as the library requires). */
  matmul(n: number): () => void;
  /** Builds the model and data, returns one training step. */
  mlpStep(): () => void;
  /** One W3 repetition: build the 10,000-op chain on `size`-element leaves, then backward. */
  tinyOps(size: number): () => void;
  /** One full W4 run, `iterations` iterations (fewer for very slow libraries, then scaled). */
  polyFit(iterations: number): () => void;
}
