/**
 * Gradscope's implementation of the workloads, written as a user would: the public API
 * (`import * as torch from 'gradscope'`), nn.Linear / F.crossEntropy / optim.SGD.
 */
import * as torch from 'gradscope';
import { uniformArray } from '../harness';
import { W2, W3, W4, type LibraryAdapter } from '../workloads';

/** A fresh leaf of the given shape holding `values`. */
function leaf(values: Float32Array, shape: number[], requiresGrad = false): torch.Tensor {
  return torch.tensor(values).reshape(shape).clone().requiresGrad_(requiresGrad);
}

export const ours: LibraryAdapter = {
  name: 'gradscope',
  version: process.env.npm_package_version ?? 'dev',

  matmul(n) {
    const a = leaf(uniformArray(n * n, 1), [n, n]);
    const b = leaf(uniformArray(n * n, 2), [n, n]);
    return () => { torch.matmul(a, b); };
  },

  mlpStep() {
    torch.manualSeed(0);
    const model = torch.nn.Sequential(
      torch.nn.Linear(W2.inputs, W2.hidden), torch.nn.ReLU(), torch.nn.Linear(W2.hidden, W2.classes));
    const opt = torch.optim.SGD(model.parameters(), { lr: W2.lr });
    const x = leaf(uniformArray(W2.batch * W2.inputs, 3), [W2.batch, W2.inputs]);
    const y = torch.randint(0, W2.classes, [W2.batch]);
    return () => {
      opt.zeroGrad();
      const loss = torch.nn.functional.crossEntropy(model(x), y);
      loss.backward();
      opt.step();
    };
  },

  tinyOps(size) {
    const x = leaf(uniformArray(size, 4), [size], true);
    const w = leaf(uniformArray(size, 5).map((v) => 1 + 0.001 * v), [size], true);
    const b = leaf(uniformArray(size, 6).map((v) => 0.001 * v), [size], true);
    return () => {
      let h = x;
      for (let i = 0; i < W3.ops; i += 4) h = h.mul(w).add(b).sub(x).div(w);
      h.sum().backward();
      x.grad = null; w.grad = null; b.grad = null;
    };
  },

  polyFit(iterations) {
    // examples/polynomial-fit.ts, line for line (without its console output: the losses are read
    // with .item() as the tutorial does, then dropped).
    return () => {
      torch.manualSeed(0);
      const x = torch.linspace(-Math.PI, Math.PI, W4.points);
      const y = torch.sin(x);
      const a = torch.randn([], { requiresGrad: true });
      const b = torch.randn([], { requiresGrad: true });
      const c = torch.randn([], { requiresGrad: true });
      const d = torch.randn([], { requiresGrad: true });
      const lr = W4.learningRate;
      let last = 0;
      for (let t = 0; t < iterations; t++) {
        const yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
        const loss = yPred.sub(y).pow(2).sum();
        if (t % 100 === 99) last = loss.item();
        loss.backward();
        torch.noGrad(() => {
          a.sub_(a.grad!.mul(lr));
          b.sub_(b.grad!.mul(lr));
          c.sub_(c.grad!.mul(lr));
          d.sub_(d.grad!.mul(lr));
          a.grad = null; b.grad = null; c.grad = null; d.grad = null;
        });
      }
      if (!Number.isFinite(last)) throw new Error('polynomial fit diverged');
    };
  },
};
