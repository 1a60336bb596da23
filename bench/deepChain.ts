/**
 * The deep-graph check of issue 7: a chain of 1,000,000 ops backpropagates (the engine is
 * iterative, so the depth of the graph never reaches the JS stack). Reports forward and
 * backward times, and checks the gradient (the chain is x + c + c + …, so dx = 1).
 */
import * as torch from 'gradscope';
import { now, type LibraryReport } from './harness';
import { DEEP_CHAIN_OPS } from './workloads';

export function deepChain(ops = DEEP_CHAIN_OPS): LibraryReport {
  const x = torch.tensor([0.5], { requiresGrad: true });
  const c = torch.tensor([1e-7]);
  const results: LibraryReport['results'] = {};
  try {
    const t0 = now();
    let y = x;
    for (let i = 0; i < ops; i++) y = y.add(c);
    const t1 = now();
    y.sum().backward();
    const t2 = now();
    const grad = x.grad!.item();
    if (grad !== 1) throw new Error(`wrong gradient ${grad} (expected 1)`);
    results[`deep chain ${ops.toLocaleString('en')} ops: forward`] = { value: t1 - t0, unit: 'ms', higherIsBetter: false };
    results[`deep chain ${ops.toLocaleString('en')} ops: backward`] = { value: t2 - t1, unit: 'ms', higherIsBetter: false };
  } catch (e) {
    results[`deep chain ${ops.toLocaleString('en')} ops: backward`] = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  return { library: 'gradscope', version: 'dev', results, notes: [] };
}
