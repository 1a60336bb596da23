/**
 * The oracle's two training programs (programs.json `mlp/spirals_relu_sgd` and `logreg/adam`),
 * ported line by line: the dataset is built by the same formulas (double, then float32), the
 * model is initialised under manual_seed(0), and the loss trajectory, final parameters and
 * accuracy are compared with PyTorch's `results` within the case's `tol` (README §6).
 * Initial parameters are compared bit for bit (default nn.Linear init on the default generator).
 */
import assert from 'node:assert/strict';
import * as torch from '../../../src/lib/index';
import { nn } from '../../../src/lib/index';
import * as optim from '../../../src/lib/optim';
import { assertBitsEqual, assertClose, oracleCase, type FixtureTensor } from '../nn/fixtureTensors';

const F = nn.functional;

interface ProgramCase {
  id: string;
  results: {
    data: Record<string, FixtureTensor>;
    initial_params: Record<string, FixtureTensor>;
    losses: FixtureTensor;
    final_accuracy: FixtureTensor;
    final_params: Record<string, FixtureTensor>;
    final_predictions?: FixtureTensor;
  };
  tol: { rtol: number; atol: number; accuracy_abs: number };
}

function checkParams(model: nn.Module, expected: Record<string, FixtureTensor>, how: 'bits' | ProgramCase['tol'], what: string): void {
  const sd = model.stateDict();
  assert.deepEqual([...sd.keys()], Object.keys(expected), `${what}: state_dict keys`);
  for (const [name, t] of sd) {
    if (how === 'bits') assertBitsEqual(t, expected[name], `${what} ${name}`);
    else assertClose(t, expected[name], how, `${what} ${name}`);
  }
}

describe('programs.json training runs', () => {
  it('mlp/spirals_relu_sgd: Sequential(Linear, ReLU, Linear) + cross_entropy + SGD(lr=0.1), 50 steps', () => {
    const c = oracleCase<ProgramCase>('programs.json', 'mlp/spirals_relu_sgd');
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
    assertClose(X, c.results.data.X, { rtol: 0, atol: 0 }, 'dataset X');
    assertClose(Y, c.results.data.Y, { rtol: 0, atol: 0 }, 'dataset Y');

    torch.manualSeed(0);
    const model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2));
    checkParams(model, c.results.initial_params, 'bits', 'initial params');
    const opt = optim.SGD(model.parameters(), { lr: 0.1 });
    const losses: number[] = [];
    for (let step = 0; step < 50; step++) {
      opt.zeroGrad();
      const logits = model(X);
      const loss = F.crossEntropy(logits, Y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    assertClose(losses, c.results.losses, c.tol, 'losses');
    checkParams(model, c.results.final_params, c.tol, 'final params');
    const { pred, acc } = torch.noGrad(() => {
      const p = model(X).argmax(1);
      return { pred: p, acc: p.eq(Y).float().mean().item() };
    });
    assert.ok(Math.abs(acc - Number(c.results.final_accuracy.data[0])) <= c.tol.accuracy_abs, `accuracy ${acc}`);
    const expectedPred = c.results.final_predictions!.data.map(Number);
    const flipped = Array.from(pred._toArray()).filter((v, i) => v !== expectedPred[i]).length;
    assert.ok(flipped <= c.tol.accuracy_abs * expectedPred.length, `${flipped} predictions differ`);
  });

  it('logreg/adam: Linear(2, 1) + binary_cross_entropy_with_logits + Adam(lr=0.01), 100 steps', () => {
    const c = oracleCase<ProgramCase>('programs.json', 'logreg/adam');
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
    assertClose(X, c.results.data.X, { rtol: 0, atol: 0 }, 'dataset X');
    assertClose(y, c.results.data.y, { rtol: 0, atol: 0 }, 'dataset y');

    torch.manualSeed(0);
    const model = nn.Linear(2, 1);
    checkParams(model, c.results.initial_params, 'bits', 'initial params');
    const opt = optim.Adam(model.parameters(), { lr: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      opt.zeroGrad();
      const logits = model(X).squeeze(1);
      const loss = F.binaryCrossEntropyWithLogits(logits, y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    assertClose(losses, c.results.losses, c.tol, 'losses');
    checkParams(model, c.results.final_params, c.tol, 'final params');
    const acc = torch.noGrad(() => model(X).squeeze(1).gt(0).float().eq(y).float().mean().item());
    assert.ok(Math.abs(acc - Number(c.results.final_accuracy.data[0])) <= c.tol.accuracy_abs, `accuracy ${acc}`);
  });
});
