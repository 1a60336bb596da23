/**
 * W2 as a user script (for the capture-overhead benchmark, run through the real runner): an MLP
 * 784-128-10 with ReLU trained on one batch of 64 with cross-entropy and SGD.
 */
import * as torch from 'gradscope';

const STEPS = 100;
torch.manualSeed(0);
const model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10));
const optimizer = torch.optim.SGD(model.parameters(), { lr: 0.01 });
const x = torch.randn(64, 784);
const y = torch.randint(0, 10, [64]);
for (let step = 0; step < STEPS; step++) {
  optimizer.zeroGrad();
  const loss = torch.nn.functional.crossEntropy(model(x), y);
  loss.backward();
  optimizer.step();
  if (step % 25 === 24) console.log(step, loss.item());
}
