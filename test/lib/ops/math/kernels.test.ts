/**
 * The specialised loops of kernels.ts (contiguous, scalar, row-broadcast, constant, float32
 * monomorphic paths) against the generic broadcasting loop, element for element (bit-exact,
 * including signed zeros and NaN).
 */
import assert from 'node:assert/strict';
import * as torch from '../../../../src/lib/index';
import type { Tensor } from '../../../../src/lib/index';
import { fma32, fma64 } from '../../../../src/lib/random/fusedMultiplyAdd';
import { ADD, arithmetic, binaryMap, DIV, MUL, SUB, sumDims, reduceDims, type ArithOp } from '../../../../src/lib/ops/kernels';

const OPS: [ArithOp, string, (x: number, y: number) => number][] = [
  [ADD, '+', (x, y) => x + y], [SUB, '-', (x, y) => x - y], [MUL, '*', (x, y) => x * y], [DIV, '/', (x, y) => x / y],
];

function sample(shape: number[], dtype: 'float32' | 'float64' | 'int64', seed: number): Tensor {
  const n = shape.reduce((p, s) => p * s, 1);
  const data = Array.from({ length: n }, (_, i) => {
    const v = Math.sin(seed * 7.3 + i * 1.7) * 5;
    return dtype === 'int64' ? Math.round(v) + 6 : v;
  });
  return torch.tensor(data, { dtype }).reshape(shape);
}

function sameBits(a: Tensor, b: Tensor): boolean {
  if (JSON.stringify(a.shape) !== JSON.stringify(b.shape) || a.dtype !== b.dtype) return false;
  const x = a._toArray(), y = b._toArray();
  return x.every((v, i) => Object.is(v, y[i]));
}

describe('math kernels: fast paths agree with the generic loop', () => {
  const shapes: [number[], number[]][] = [
    [[3, 4], [3, 4]], [[3, 4], [4]], [[4], [3, 4]], [[3, 4], []], [[], [3, 4]], [[3, 4], [1, 4]], [[1, 4], [3, 4]],
    [[3, 1], [1, 4]], [[2, 3, 4], [3, 4]], [[3, 4], [2, 3, 4]], [[2, 3, 4], [2, 1, 4]], [[5], [1]],
  ];
  for (const dtype of ['float32', 'float64', 'int64'] as const) {
    for (const [op, sym, f] of OPS) {
      it(`${dtype} a ${sym} b over broadcast shapes, transposed and expanded operands`, () => {
        const outDtype = dtype === 'int64' && op === DIV ? 'float32' : dtype;
        shapes.forEach(([sa, sb], k) => {
          const a = sample(sa, dtype, k), b = sample(sb, dtype, k + 100);
          assert.ok(sameBits(arithmetic(op, a, b, outDtype), binaryMap(a, b, outDtype, f)), `${sa} ${sym} ${sb}`);
        });
        const m = sample([4, 3], dtype, 7).t();
        const row = sample([4], dtype, 8);
        const one = sample([], dtype, 9).expand(3, 4);
        for (const [x, y] of [[m, row], [row, m], [m, m], [m, one], [one, one], [one, m]]) {
          assert.ok(sameBits(arithmetic(op, x, y, outDtype), binaryMap(x, y, outDtype, f)));
        }
      });
    }
  }

  it('add with alpha is one fused multiply-add (fma32 / fma64), as PyTorch\'s AVX2 kernel', () => {
    const a = sample([50], 'float32', 1), b = sample([50], 'float32', 2);
    const got = arithmetic(ADD, a, b, 'float32', 0.1)._toArray();
    got.forEach((v, i) => assert.equal(v, fma32(Math.fround(0.1), b._get(i), a._get(i))));
    const c = sample([50], 'float64', 3), d = sample([50], 'float64', 4);
    const got64 = arithmetic(SUB, c, d, 'float64', 0.3)._toArray();
    got64.forEach((v, i) => assert.equal(v, fma64(-0.3, d._get(i), c._get(i))));
  });

  it('sumDims fast paths agree with the generic reduction', () => {
    const a = sample([3, 4, 5], 'float32', 3);
    for (const dims of [[0], [1], [2], [0, 1, 2], [0, 2], [1, 2]]) {
      for (const keepdim of [false, true]) {
        const fast = sumDims(a, dims, keepdim, 'float32');
        const slow = reduceDims(a, dims, keepdim, 'float32', 0, (acc, x) => acc + x);
        assert.ok(sameBits(fast, slow), `dims ${dims} keepdim ${keepdim}`);
      }
    }
    const t = a.permute(2, 0, 1);
    assert.ok(sameBits(sumDims(t, [1], false, 'float32'), reduceDims(t, [1], false, 'float32', 0, (acc, x) => acc + x)));
  });
});
