/**
 * js-pytorch (a PyTorch-like library on nested JS arrays with a recursive backward), written as its
 * README teaches: nn.Linear / nn.ReLU / nn.CrossEntropyLoss, and — since it ships only Adam — the
 * SGD update written by hand the way its Adam writes updates (`p._data = p.add(...)._data`).
 *
 * Broadcasting: js-pytorch broadcasts a smaller-rank operand over trailing dims only, so the
 * polynomial fit uses column vectors x, y of shape [2000, 1] and parameters of shape [1].
 *
 * NOTE: its package depends on @eduardoleao052/gpu (headless WebGL through the native `gl` build,
 * which fails here); package.json `overrides` replace it with bench/stubs/eduardoleao052-gpu,
 * which is only ever loaded for device "gpu" — the CPU path used here never touches it.
 */
import { torch } from 'js-pytorch';
import { uniformArray } from '../harness';
import { W2, W3, W4, type LibraryAdapter } from '../workloads';

type JsTensor = InstanceType<typeof torch.Tensor>;

function nested(values: Float32Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}

/** p ← p − lr·∇p, then clear the gradient and the graph hanging off p. */
function sgdStep(params: readonly JsTensor[], lr: number): void {
  for (const p of params) {
    p._data = p.add(p._grad.mul(-lr))._data;
    p.zero_grad();
  }
}

export const jsPytorch: LibraryAdapter = {
  name: 'js-pytorch',
  version: '0.7.2',

  matmul(n) {
    const a = torch.tensor(nested(uniformArray(n * n, 1), n, n));
    const b = torch.tensor(nested(uniformArray(n * n, 2), n, n));
    return () => { a.matmul(b); };
  },

  mlpStep() {
    const fc1 = new torch.nn.Linear(W2.inputs, W2.hidden);
    const relu = new torch.nn.ReLU();
    const fc2 = new torch.nn.Linear(W2.hidden, W2.classes);
    const lossFn = new torch.nn.CrossEntropyLoss();
    const params = [...fc1.parameters(), ...fc2.parameters()] as JsTensor[];
    const x = torch.tensor(nested(uniformArray(W2.batch * W2.inputs, 3), W2.batch, W2.inputs));
    const y = torch.tensor(Array.from({ length: W2.batch }, (_, i) => (i * 7) % W2.classes));
    return () => {
      const loss = lossFn.forward(fc2.forward(relu.forward(fc1.forward(x))), y);
      loss.backward();
      sgdStep(params, W2.lr);
    };
  },

  tinyOps(size) {
    const x = torch.tensor(Array.from(uniformArray(size, 4)), true);
    const w = torch.tensor(Array.from(uniformArray(size, 5), (v) => 1 + 0.001 * v), true);
    const b = torch.tensor(Array.from(uniformArray(size, 6), (v) => 0.001 * v), true);
    return () => {
      let h: JsTensor = x;
      for (let i = 0; i < W3.ops; i += 4) h = h.mul(w).add(b).sub(x).div(w);
      h.sum().backward();
      for (const p of [x, w, b]) p.zero_grad();
    };
  },

  polyFit(iterations) {
    const xs = Array.from({ length: W4.points }, (_, i) => -Math.PI + (2 * Math.PI * i) / (W4.points - 1));
    return () => {
      const x = torch.tensor(xs.map((v) => [v]));
      const y = torch.tensor(xs.map((v) => [Math.sin(v)]));
      const params = [0, 1, 2, 3].map(() => torch.randn([1], true));
      const [a, b, c, d] = params;
      let last = 0;
      for (let t = 0; t < iterations; t++) {
        const yPred = x.mul(b).add(a).add(x.pow(2).mul(c)).add(x.pow(3).mul(d));
        const loss = yPred.sub(y).pow(2).sum(0).sum(0);
        if (t % 100 === 99 || t === iterations - 1) last = (loss.data as number[])[0];
        loss.backward();
        sgdStep(params, W4.learningRate);
      }
      if (!Number.isFinite(last)) throw new Error('polynomial fit diverged');
    };
  },
};
