/**
 * nn.Module behaviour against PyTorch (fixtures/nn.json, recorded by fixtures/record.py):
 * reprs, member names and order, error messages; plus the Module mechanics (callable modules,
 * registration by assignment, train/eval, apply, zeroGrad, state dicts, containers, capture
 * scopes).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../../src/lib/index';
import { nn } from '../../../src/lib/index';
import { setCaptureListener, type CaptureListener } from '../../../src/lib/capture/hooks';

type Tensor = torch.Tensor;

interface NnFixtures {
  reprs: Record<string, string> & {
    net_names: Record<string, unknown>;
    shared_names: Record<string, unknown>;
  };
  errors: Record<string, { type: string; message: string }>;
}
const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'nn.json'), 'utf8')) as NnFixtures;

/** The module record.py declares as `Net`, declared the TypeScript way. */
class Net extends nn.Module {
  fc1 = nn.Linear(2, 3);
  scale = nn.Parameter(torch.ones(3));
  body = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Dropout(0.25));
  declare running: Tensor;
  declare scratch: Tensor;
  head: nn.ModuleList<nn.Linear>;

  constructor() {
    super();
    this.registerBuffer('running', torch.zeros(3));
    this.registerBuffer('scratch', torch.zeros(1), false);
    this.head = new nn.ModuleList([nn.Linear(3, 1), nn.Linear(3, 1)]);
  }

  override forward(x: Tensor): Tensor {
    const h = this.body(this.fc1(x).mul(this.scale));
    return this.head[0](h).add(this.head[1](h));
  }
}

/** The same modules as record.py's `reprs()`, keyed alike. */
const REPR_BUILDERS: Record<string, () => nn.AnyModule> = {
  mlp: () => nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2)),
  net: () => new Net(),
  linear_no_bias: () => nn.Linear(3, 5, { bias: false }),
  module_list_runs: () => nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.ReLU(), nn.ReLU(), nn.Linear(2, 2)]),
  module_list_empty: () => nn.ModuleList(),
  module_list_nested: () => nn.ModuleList([nn.Sequential(nn.Linear(2, 2), nn.ReLU()), nn.Sequential(nn.Linear(2, 2), nn.ReLU())]),
  sequential_named: () => nn.Sequential(new Map<string, nn.Module>([['fc', nn.Linear(4, 4)], ['act', nn.GELU({ approximate: 'tanh' })]])),
  activations: () => nn.Sequential(nn.ReLU(true), nn.Sigmoid(), nn.Tanh(), nn.GELU(), nn.SiLU(), nn.SiLU({ inplace: true }),
    nn.LeakyReLU(), nn.LeakyReLU(0.2, true), nn.Softplus(), nn.Softplus({ beta: 2.5, threshold: 10.5 }), nn.Softmax({ dim: 1 }),
    nn.Softmax(), nn.LogSoftmax(-1), nn.Identity(), nn.Flatten(), nn.Flatten(0, 2)),
  dropouts: () => nn.Sequential(nn.Dropout(), nn.Dropout(0.1), nn.Dropout({ p: 0.3, inplace: true })),
  norms: () => nn.Sequential(nn.LayerNorm(4), nn.LayerNorm([3, 4], { eps: 1e-6 }), nn.LayerNorm(8, { elementwiseAffine: false })),
  losses: () => nn.ModuleList([nn.MSELoss(), nn.L1Loss({ reduction: 'sum' }), nn.CrossEntropyLoss(), nn.NLLLoss(), nn.BCELoss(),
    nn.BCEWithLogitsLoss()]),
};

function expectError(fn: () => unknown, key: string): void {
  const expected = fixtures.errors[key];
  assert.ok(expected, `fixture error ${key}`);
  assert.throws(fn, (e: Error) => {
    assert.equal(e.name, expected.type, `${key}: type (message: ${e.message})`);
    assert.equal(e.message, expected.message, `${key}: message`);
    return true;
  });
}

describe('nn.Module repr (print(model)) against PyTorch', () => {
  for (const [key, build] of Object.entries(REPR_BUILDERS)) {
    it(key, () => {
      assert.equal(String(build()), fixtures.reprs[key]);
    });
  }

  it('console.log / util.inspect print the repr', async () => {
    const { inspect } = await import('node:util');
    assert.equal(inspect(REPR_BUILDERS.mlp()), fixtures.reprs.mlp);
  });

  it('Parameter prints "Parameter containing:" and the tensor', () => {
    assert.equal(String(nn.Parameter(torch.ones(2))), 'Parameter containing:\ntensor([1., 1.], requires_grad=True)');
  });
});

describe('nn.Module member names and order', () => {
  it('named parameters / buffers / modules / children and state-dict keys as PyTorch orders them', () => {
    const net = new Net();
    const names = fixtures.reprs.net_names;
    assert.deepEqual(net.namedParameters().map(([n]) => n), names.named_parameters);
    assert.deepEqual([...net.stateDict().keys()], names.state_dict);
    assert.deepEqual(net.namedModules().map(([n, m]) => [n, m._getName()]), names.named_modules);
    assert.deepEqual(net.namedChildren().map(([n]) => n), names.named_children);
    assert.deepEqual(net.namedBuffers().map(([n]) => n), names.named_buffers);
    assert.equal(net.parameters().length, (names.named_parameters as string[]).length);
  });

  it('a module used twice is listed once, but appears under both names in the state dict', () => {
    const shared = nn.Linear(2, 2);
    const tied = nn.Sequential(shared, nn.ReLU(), shared);
    const names = fixtures.reprs.shared_names;
    assert.deepEqual(tied.namedParameters().map(([n]) => n), names.named_parameters);
    assert.deepEqual([...tied.stateDict().keys()], names.state_dict);
    assert.deepEqual(tied.namedModules().map(([n, m]) => [n, m._getName()]), names.named_modules);
    assert.equal(tied.parameters().length, names.parameters_count);
  });
});

describe('nn.Module errors against PyTorch messages', () => {
  it('register_parameter name checks', () => {
    expectError(() => nn.Linear(1, 1).registerParameter('a.b', null), 'register_parameter_dot');
    expectError(() => nn.Linear(1, 1).registerParameter('', null), 'register_parameter_empty');
    const m = nn.Linear(1, 1) as nn.Linear & { extra?: number };
    m.extra = 3;
    expectError(() => m.registerParameter('extra', null), 'register_parameter_exists');
    expectError(() => nn.Linear(1, 1).registerParameter('w', torch.ones(1) as nn.Parameter), 'register_parameter_not_parameter');
    expectError(() => nn.Linear(1, 1).registerBuffer('a.b', torch.ones(1)), 'register_buffer_dot');
    expectError(() => nn.Linear(1, 1).addModule('a.b', nn.ReLU()), 'add_module_dot');
    expectError(() => nn.Linear(1, 1).addModule('x', torch.ones(1) as unknown as nn.AnyModule), 'add_module_not_module');
  });

  it('assigning a plain tensor where a parameter / sub-module is registered', () => {
    expectError(() => { nn.Linear(1, 1).weight = torch.ones(1, 1) as nn.Parameter; }, 'assign_tensor_to_parameter');
    expectError(() => { (nn.Sequential(nn.ReLU()) as unknown as Record<string, unknown>)['0'] = torch.ones(1); }, 'assign_tensor_to_module');
  });

  it('load_state_dict with missing / unexpected keys and with a size mismatch', () => {
    const m = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1));
    const sd = m.stateDict();
    sd.delete('2.bias');
    sd.set('2.extra', torch.ones(1));
    sd.set('9.weight', torch.ones(1));
    expectError(() => m.loadStateDict(sd), 'load_state_dict_missing_unexpected');
    expectError(() => nn.Linear(2, 3).loadStateDict({ weight: torch.ones(2, 2), bias: torch.ones(3) }), 'load_state_dict_size_mismatch');
  });

  it('a module without forward, invalid dropout probabilities, init errors', () => {
    expectError(() => new nn.Module()(torch.ones(1)), 'forward_missing');
    expectError(() => nn.Dropout(1.5), 'dropout_p');
    expectError(() => nn.functional.dropout(torch.ones(2), { p: -0.5 }), 'functional_dropout_p');
    expectError(() => nn.init.xavierUniform_(torch.empty(3)), 'fan_1d');
    expectError(() => nn.init.kaimingUniform_(torch.empty(3, 3), { mode: 'fan_avg' as 'fan_in' }), 'kaiming_mode');
    expectError(() => nn.init.calculateGain('swish' as 'relu'), 'gain_unsupported');
  });

  it('a non-leaf Parameter is refused', () => {
    const p = nn.Parameter(torch.ones(2));
    const nonLeaf = p.mul(2);
    Object.setPrototypeOf(nonLeaf, nn.Parameter.prototype);
    assert.throws(() => nn.Linear(1, 1).registerParameter('w', nonLeaf as nn.Parameter),
      { message: "Cannot assign non-leaf Tensor to parameter 'w'. Model parameters must be created explicitly. " +
        "To express 'w' as a function of another Tensor, compute the value in the forward() method." });
  });
});

describe('nn.Module mechanics', () => {
  it('modules are callable: model(x), model.call(x) and model.forward(x) agree', () => {
    torch.manualSeed(0);
    const model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1));
    const x = torch.randn(3, 2);
    const a = model(x), b = model.call(x), c = model.forward(x);
    assert.deepEqual(a.tolist(), b.tolist());
    assert.deepEqual(a.tolist(), c.tolist());
    assert.equal(typeof model, 'function');
    assert.ok(model instanceof nn.Sequential && model instanceof nn.Module);
  });

  it('built-in modules and Parameter work with and without `new`', () => {
    const a = new nn.Linear(2, 3);
    const b = nn.Linear(2, 3);
    assert.ok(a instanceof nn.Linear && b instanceof nn.Linear);
    class Scaled extends nn.Linear {
      override forward(x: Tensor): Tensor { return super.forward(x).mul(2); }
    }
    const s = new Scaled(2, 3);
    assert.equal(String(s), 'Scaled(in_features=2, out_features=3, bias=True)');
    assert.ok(s instanceof nn.Linear);
    assert.ok(new nn.Parameter(torch.ones(1)) instanceof nn.Parameter);
  });

  it('registers parameters and sub-modules assigned to fields, and forgets deleted ones', () => {
    const m = new nn.Module() as nn.Module & Record<string, unknown>;
    m.w = nn.Parameter(torch.zeros(2));
    m.sub = nn.Linear(2, 2);
    m.plain = torch.zeros(1);
    assert.deepEqual(m.namedParameters().map(([n]) => n), ['w', 'sub.weight', 'sub.bias']);
    delete m.w;
    assert.deepEqual(m.namedParameters().map(([n]) => n), ['sub.weight', 'sub.bias']);
    m.registerBuffer('stats', nn.Parameter(torch.ones(1)));
    assert.deepEqual(m.namedBuffers().map(([n]) => n), ['stats'], 'register_buffer keeps even a Parameter a buffer');
    delete m.stats;
    m.sub = null;
    assert.deepEqual(m.namedChildren(), []);
    assert.equal(String(m), 'Module(\n  (sub): None\n)');
  });

  it('the Parameter shares storage with the tensor it wraps (an alias, like PyTorch)', () => {
    const t = torch.zeros(2);
    const p = nn.Parameter(t);
    torch.noGrad(() => p.add_(1));
    assert.deepEqual(t.tolist(), [1, 1]);
    assert.equal(p.requiresGrad, true);
    assert.equal(nn.Parameter(t, false).requiresGrad, false);
  });

  it('train() / eval() set the mode recursively and Dropout follows it', () => {
    torch.manualSeed(1);
    const net = new Net();
    assert.equal(net.training, true);
    net.eval();
    assert.ok(net.modules().every((m) => m.training === false));
    const x = torch.randn(4, 3);
    assert.equal(net.body[2](x), x, 'eval-mode dropout returns its input');
    net.train();
    assert.ok(net.modules().every((m) => m.training === true));
    assert.throws(() => net.train('yes' as unknown as boolean), { message: 'training mode is expected to be boolean' });
  });

  it('apply() visits children first, then the module itself', () => {
    const model = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU(), nn.Tanh()));
    const seen: string[] = [];
    model.apply((m) => seen.push(m._getName()));
    assert.deepEqual(seen, ['Linear', 'ReLU', 'Tanh', 'Sequential', 'Sequential']);
  });

  it('apply() can re-initialise parameters with nn.init', () => {
    const model = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 2));
    model.apply((m) => {
      if (m instanceof nn.Linear) {
        nn.init.zeros_(m.weight);
        nn.init.constant_(m.bias!, 0.5);
      }
    });
    assert.deepEqual(model(torch.ones(1, 3)).tolist(), [[0.5, 0.5]]);
  });

  it('zeroGrad() drops gradients (set_to_none) or zeroes them in place', () => {
    const model = nn.Linear(2, 1);
    model(torch.ones(3, 2)).sum().backward();
    assert.ok(model.weight.grad !== null);
    const g = model.weight.grad!;
    model.zeroGrad(false);
    assert.equal(model.weight.grad, g);
    assert.deepEqual(g.tolist(), [[0, 0]]);
    model.zeroGrad();
    assert.equal(model.weight.grad, null);
    assert.equal(model.bias!.grad, null);
  });

  it('requiresGrad_(false) freezes every parameter', () => {
    const model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1)).requiresGrad_(false);
    assert.ok(model.parameters().every((p) => !p.requiresGrad));
    assert.equal(model(torch.ones(1, 2)).requiresGrad, false);
  });

  it('stateDict() holds detached aliases; loadStateDict() copies values in', () => {
    torch.manualSeed(2);
    const a = nn.Linear(3, 2);
    const sd = a.stateDict();
    const w = sd.get('weight')!;
    assert.equal(w.requiresGrad, false);
    assert.equal(w.isLeaf, true);
    torch.noGrad(() => a.weight.mul_(2));
    assert.deepEqual(w.tolist(), a.weight.tolist(), 'shares storage with the parameter');
    assert.equal(a.stateDict({ keepVars: true }).get('weight'), a.weight);
    const b = nn.Linear(3, 2);
    const result = b.loadStateDict(sd);
    assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
    assert.deepEqual(b.weight.tolist(), a.weight.tolist());
    assert.notEqual(b.weight._box, a.weight._box, 'copied, not shared');
    assert.equal(b.weight.requiresGrad, true);
    const partial = nn.Linear(3, 2).loadStateDict({ weight: a.weight.detach(), extra: torch.ones(1) }, false);
    assert.deepEqual(partial, { missingKeys: ['bias'], unexpectedKeys: ['extra'] });
  });

  it('getSubmodule / getParameter follow dotted paths', () => {
    const net = new Net();
    assert.equal(net.getSubmodule('body.0'), net.body[0]);
    assert.equal(net.getParameter('head.1.bias'), net.head[1].bias);
    assert.throws(() => net.getSubmodule('body.7'), { message: 'Sequential has no attribute `7`' });
  });

  it('Sequential: indexing, length, iteration, append / insert / pop', () => {
    const relu = nn.ReLU();
    const seq = nn.Sequential(nn.Linear(1, 2), relu);
    assert.equal(seq.length, 2);
    assert.equal(seq[1], relu);
    assert.equal(seq.at(-1), relu);
    assert.throws(() => seq.at(2), { message: 'index 2 is out of range' });
    seq.append(nn.Linear(2, 1));
    seq.insert(1, nn.Tanh());
    assert.deepEqual([...seq].map((m) => m._getName()), ['Linear', 'Tanh', 'ReLU', 'Linear']);
    assert.deepEqual(seq.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '3.weight', '3.bias']);
    assert.equal(seq.pop(1)._getName(), 'Tanh');
    assert.deepEqual(seq.namedChildren().map(([n, m]) => `${n}:${m._getName()}`), ['0:Linear', '1:ReLU', '2:Linear']);
    assert.deepEqual(seq(torch.ones(4, 1)).shape, [4, 1]);
  });

  it('ModuleList: registered, indexable, iterable; calling it fails like PyTorch', () => {
    const layers = new nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)]);
    layers.append(nn.Linear(2, 3));
    assert.equal(layers.length, 3);
    assert.equal(layers[2].outFeatures, 3);
    assert.equal(layers.at(-1), layers[2]);
    let x = torch.ones(1, 2);
    for (const layer of layers) x = layer(x);
    assert.deepEqual(x.shape, [1, 3]);
    assert.deepEqual(layers.parameters().length, 6);
    layers.insert(0, nn.Linear(2, 2));
    assert.deepEqual(layers.namedChildren().map(([n]) => n), ['0', '1', '2', '3']);
    assert.throws(() => (layers as unknown as (x: Tensor) => Tensor)(torch.ones(1)),
      { message: 'Module [ModuleList] is missing the required "forward" function' });
  });

  it('each module call is a capture scope named after the module and its attribute', () => {
    const events: string[] = [];
    const listener: CaptureListener = {
      onOp: (e) => events.push(`op ${e.op}`),
      onScopeEnter: (name, kind) => events.push(`enter ${kind} ${name}`),
      onScopeExit: () => events.push('exit'),
    };
    const model = nn.Sequential(nn.Linear(2, 2), nn.ReLU());
    const x = torch.ones(1, 2);
    const previous = setCaptureListener(listener);
    try {
      model(x);
    } finally {
      setCaptureListener(previous);
    }
    const scopes = events.filter((e) => e.startsWith('enter'));
    assert.deepEqual(scopes, ['enter module Sequential', 'enter module Linear[0]', 'enter composite linear', 'enter module ReLU[1]']);
    assert.equal(events.filter((e) => e === 'exit').length, scopes.length);
    assert.ok(events.includes('op addmm'));
    // forward() skips the module's own scope (children are still calls).
    events.length = 0;
    setCaptureListener(listener);
    try {
      model.forward(x);
    } finally {
      setCaptureListener(previous);
    }
    assert.equal(events.filter((e) => e.startsWith('enter module'))[0], 'enter module Linear');
  });
});
