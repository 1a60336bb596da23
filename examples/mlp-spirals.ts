/**
 * A two-layer MLP (ReLU) learning two interleaved spirals with SGD — a small training loop to
 * explore in the graph panel: one graph structure, with a slider over the 50 steps.
 * Ported line by line from the PyTorch program in the oracle (programs.json mlp/spirals_relu_sgd);
 * prints the same losses.
 */
import * as torch from 'gradscope';

const { nn, optim } = torch;
const F = nn.functional;

// Deterministic dataset: two interleaved spirals, 100 points per class,
// computed in JavaScript numbers (double) and then converted to float32.
const pts: number[][] = [];
const labels: number[] = [];
for (let cls = 0; cls < 2; cls++) {
  for (let i = 0; i < 100; i++) {
    const t = i / 100.0;
    const r = 0.1 + 0.9 * t;
    const theta = 3.0 * Math.PI * t + cls * Math.PI;
    pts.push([r * Math.cos(theta), r * Math.sin(theta)]);
    labels.push(cls);
  }
}
const X = torch.tensor(pts, { dtype: torch.float32 });
const Y = torch.tensor(labels, { dtype: torch.int64 });

torch.manualSeed(0);
const model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2));
const opt = optim.SGD(model.parameters(), { lr: 0.1 });
const steps = 50;
for (let step = 0; step < steps; step++) {
  opt.zeroGrad();
  const logits = model(X);
  const loss = F.crossEntropy(logits, Y);
  loss.backward();
  opt.step();
  if (step % 10 === 0 || step === steps - 1) {
    console.log(`step ${String(step).padStart(2)} loss ${loss.item().toFixed(6)}`);
  }
}
const acc = torch.noGrad(() => {
  const pred = model(X).argmax(1);
  return pred.eq(Y).float().mean().item();
});
console.log(`final accuracy ${acc.toFixed(3)}`);
