/**
 * W3 as a user script (for the capture-overhead benchmark): chains of 10,000 tiny elementwise
 * ops on 1-element tensors, each followed by backward, repeated.
 */
import * as torch from 'gradscope';

const REPEATS = 10;
torch.manualSeed(0);
const x = torch.randn([1], { requiresGrad: true });
const w = torch.randn([1]).mul(0.001).add(1).requiresGrad_();
const b = torch.randn([1]).mul(0.001).requiresGrad_();
for (let r = 0; r < REPEATS; r++) {
  let h = x;
  for (let i = 0; i < 10000; i += 4) h = h.mul(w).add(b).sub(x).div(w);
  h.sum().backward();
  x.grad = null; w.grad = null; b.grad = null;
}
console.log('done');
