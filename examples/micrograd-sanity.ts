/**
 * micrograd's engine tests (karpathy/micrograd test/test_engine.py), the PyTorch half, ported:
 * scalar expressions whose values and gradients micrograd checks against PyTorch.
 *
 *   npx gradscope run examples/micrograd-sanity.ts                 both tests, float32 and float64
 *   npx tsx examples/micrograd-sanity.ts more_ops float64           one test in one dtype
 *
 * Python operators become methods (`2 * x + 2 + x` is `torch.mul(2, x).add(2).add(x)`); note that
 * `10.0 / f` is `f.reciprocal() * 10.0` in PyTorch, which `torch.div(10, f)` reproduces.
 */
import * as torch from 'gradscope';

type DType = 'float32' | 'float64';

function sanityCheck(dtype: DType): void {
  const x = torch.tensor([-4.0], { dtype });
  x.requiresGrad = true;
  const z = torch.mul(2, x).add(2).add(x);
  const q = z.relu().add(z.mul(x));
  const h = z.mul(z).relu();
  const y = h.add(q).add(q.mul(x));
  y.backward();
  console.log('y', y.data.item());
  console.log('x.grad', x.grad!.item());
}

function moreOps(dtype: DType): void {
  const a = torch.tensor([-4.0], { dtype });
  const b = torch.tensor([2.0], { dtype });
  a.requiresGrad = true;
  b.requiresGrad = true;
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c).add(1);
  c = c.add(1).add(c).add(a.neg());
  d = d.add(d.mul(2)).add(b.add(a).relu());
  d = d.add(torch.mul(3, d)).add(b.sub(a).relu());
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2.0);
  g = g.add(torch.div(10.0, f));
  g.backward();
  console.log('g', g.data.item());
  console.log('a.grad', a.grad!.item());
  console.log('b.grad', b.grad!.item());
}

const tests = { sanity_check: sanityCheck, more_ops: moreOps };
const [which, dtype] = typeof process !== 'undefined' ? process.argv.slice(2) : [];
if (which) {
  tests[which as keyof typeof tests](dtype === 'float64' ? 'float64' : 'float32');
} else {
  for (const [name, test] of Object.entries(tests)) {
    for (const dt of ['float32', 'float64'] as const) {
      console.log(`# ${name} ${dt}`);
      test(dt);
    }
  }
}
