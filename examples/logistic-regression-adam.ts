/**
 * Logistic regression trained with Adam: nn.Linear(2, 1), binary cross-entropy with logits,
 * 100 full-batch steps. Ported line by line from the PyTorch program in the oracle
 * (programs.json logreg/adam); prints the same losses and final weights.
 */
import * as torch from 'gradscope';

const { nn, optim } = torch;
const F = nn.functional;

// Deterministic 2-D binary classification data from trigonometric formulas (no RNG).
const pts: number[][] = [];
const labels: number[] = [];
for (let i = 0; i < 200; i++) {
  const u = Math.sin(i * 0.7) * 2.0 + Math.cos(i * 1.3);
  const v = Math.cos(i * 0.45) * 1.5 - Math.sin(i * 2.1) * 0.5;
  const label = 0.8 * u - 1.2 * v + 0.3 + 0.5 * Math.sin(i * 3.7) > 0 ? 1.0 : 0.0;
  pts.push([u, v]);
  labels.push(label);
}
const X = torch.tensor(pts, { dtype: torch.float32 });
const y = torch.tensor(labels, { dtype: torch.float32 });

torch.manualSeed(0);
const model = nn.Linear(2, 1);
const opt = optim.Adam(model.parameters(), { lr: 0.01 });
const steps = 100;
for (let step = 0; step < steps; step++) {
  opt.zeroGrad();
  const logits = model(X).squeeze(1);
  const loss = F.binaryCrossEntropyWithLogits(logits, y);
  loss.backward();
  opt.step();
  if (step % 10 === 0 || step === steps - 1) {
    console.log(`step ${String(step).padStart(3)} loss ${loss.item().toFixed(6)}`);
  }
}
const acc = torch.noGrad(() => model(X).squeeze(1).gt(0).float().eq(y).float().mean().item());
const w = model.weight.detach();
console.log(`weight [${w.index(0, 0).item().toFixed(4)}, ${w.index(0, 1).item().toFixed(4)}] bias ${model.bias!.item().toFixed(4)} accuracy ${acc.toFixed(3)}`);
