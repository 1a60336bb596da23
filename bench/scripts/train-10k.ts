/**
 * Memory under capture: a 10,000-iteration training loop (a 2-16-1 MLP on 64 points with Adam).
 * Prints the worker's memory after iterations 1,000 and 10,000, each after a full garbage
 * collection, as `memory <iteration> <heapUsed> <arrayBuffers> <loss>` (bytes).
 */
import * as torch from 'gradscope';
import v8 from 'node:v8';
import vm from 'node:vm';

const ITERATIONS = 10_000;
torch.manualSeed(0);
const x = torch.randn(64, 2);
const y = x.pow(2).sum(1, { keepdim: true });
const model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1));
const optimizer = torch.optim.Adam(model.parameters(), { lr: 0.01 });
// NOTE: the runner starts its worker without --expose-gc; this is the documented way to get gc().
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
for (let it = 1; it <= ITERATIONS; it++) {
  optimizer.zeroGrad();
  const loss = torch.nn.functional.mseLoss(model(x), y);
  loss.backward();
  optimizer.step();
  if (it === 1000 || it === ITERATIONS) {
    gc();
    const m = process.memoryUsage();
    console.log('memory', it, m.heapUsed, m.arrayBuffers, loss.item());
  }
}
