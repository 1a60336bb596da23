/**
 * rng.json (README §2) through the public API: `torch.manualSeed(seed)`, then every call in
 * order on the default generator, each output compared bit for bit.
 *
 * Each `fn` is spelled as the PyTorch code in README §2's table, written in the oracle's own call
 * language and run by the same interpreter as the other families (so `normal_` is really
 * `torch.empty(shape).normal_(mean, std)`, `nn.Linear` is `new torch.nn.Linear(in, out, { bias })`).
 */
import { tensorProblems } from './compare';
import { describeValue, unexpectedErrorProblem } from './expectations';
import { describeFamily } from './family';
import { loadFamily, type FixtureCall, type RngCall, type RngCase, type Step, type Tol } from './fixtures';
import { Interpreter, isTensor, observe } from './interpreter';

/** Exact: values with zero tolerance, and the fixture's `bits` compared pattern by pattern. */
const EXACT: Tol = { rtol: 0, atol: 0 };

interface Recipe {
  steps: Step[];
  /** Variables holding the outputs, in `out` order; those bound to null (absent bias) are not listed in `out`. */
  outputs: string[];
}

const $var = (name: string) => ({ $var: name });

/** `torch.empty(shape).<method>(...args)` */
function sampleInPlace(shape: unknown, method: string, ...args: unknown[]): Recipe {
  return {
    steps: [
      { let: 'w', op: 'empty', args: [shape] },
      { op: method, call: 'method', args: [$var('w'), ...args] },
    ],
    outputs: ['w'],
  };
}

function single(call: FixtureCall): Recipe {
  return { steps: [{ let: 'out', ...call }], outputs: ['out'] };
}

/**
 * README §2's table. Float parameters are passed as plain numbers (PyTorch treats `normal_(0, 2)`
 * and `normal_(0.0, 2.0)` alike) except the fill value of `torch.full(shape, p)`, whose float-ness
 * decides the tensor's dtype (see NOTE [Python floats] in interpreter.ts).
 */
const RECIPES: Record<string, (a: Record<string, unknown>) => Recipe> = {
  manual_seed: (a) => ({ steps: [{ op: 'manual_seed', args: [a.seed] }], outputs: [] }),
  randn: (a) => single({ op: 'randn', args: [a.shape] }),
  rand: (a) => single({ op: 'rand', args: [a.shape] }),
  randint: (a) => single({ op: 'randint', args: [a.low, a.high, a.shape] }),
  randperm: (a) => single({ op: 'randperm', args: [a.n] }),
  normal: (a) => single({ op: 'normal', args: [a.mean, a.std, a.shape] }),
  normal_: (a) => sampleInPlace(a.shape, 'normal_', a.mean, a.std),
  uniform_: (a) => sampleInPlace(a.shape, 'uniform_', a.from, a.to),
  bernoulli_: (a) => sampleInPlace(a.shape, 'bernoulli_', a.p),
  bernoulli: (a) => ({
    steps: [
      { let: 'p', op: 'full', args: [a.shape, { $float: a.p }] },
      { let: 'out', op: 'bernoulli', args: [$var('p')] },
    ],
    outputs: ['out'],
  }),
  kaiming_uniform_: (a) => ({
    steps: [
      { let: 'w', op: 'empty', args: [a.shape] },
      { op: 'nn.init.kaiming_uniform_', args: [$var('w')], kwargs: { a: a.a } },
    ],
    outputs: ['w'],
  }),
  'nn.Linear': (a) => ({
    steps: [
      { let: 'm', op: 'nn.Linear', args: [a.in_features, a.out_features], kwargs: a.bias === undefined ? {} : { bias: a.bias } },
      { let: 'weight', attr: 'weight', of: 'm' },
      { let: 'bias', attr: 'bias', of: 'm' },
    ],
    outputs: ['weight', 'bias'],
  }),
  dropout: (a) => ({
    steps: [
      { let: 'x', op: 'ones', args: [a.shape] },
      { let: 'out', op: 'nn.functional.dropout', args: [$var('x')], kwargs: { p: a.p, training: true } },
    ],
    outputs: ['out'],
  }),
};

/** Runs one call's recipe; returns its problems (a failed call ends the case: later draws would be off). */
function runCall(interp: Interpreter, call: RngCall, label: string): { problems: string[]; fatal: boolean } {
  const recipe = RECIPES[call.fn];
  if (recipe === undefined) return { problems: [`${label}: no recipe for fn ${JSON.stringify(call.fn)}`], fatal: true };
  const { steps, outputs } = recipe(call.args);
  let failure: string | undefined;
  interp.run(steps, (step, outcome) => {
    if (failure === undefined && outcome.kind === 'call' && outcome.error !== undefined) {
      failure = unexpectedErrorProblem(`${label} ${step.op ?? step.attr}`, outcome.error);
    }
  });
  if (failure !== undefined) return { problems: [failure], fatal: true };
  const produced = outputs.map((name) => interp.lookup(name)).filter((t) => t !== null);
  if (produced.length !== call.out.length) {
    return { problems: [`${label}: produced ${produced.length} tensors, expected ${call.out.length}`], fatal: false };
  }
  const problems = call.out.flatMap((exp, i) => {
    const got = produced[i];
    return isTensor(got) ? tensorProblems(`${label} out[${i}]`, observe(got), exp, EXACT)
      : [`${label} out[${i}]: got ${describeValue(got)}, expected a tensor`];
  });
  return { problems, fatal: false };
}

function runCase(c: RngCase): string[] {
  const interp = new Interpreter();
  const problems: string[] = [];
  const seeded = runCall(interp, { fn: 'manual_seed', args: { seed: c.seed }, out: [] }, 'manual_seed');
  if (seeded.fatal) return seeded.problems;
  for (const [i, call] of c.calls.entries()) {
    const result = runCall(interp, call, `calls[${i}] ${call.fn}(${JSON.stringify(call.args)})`);
    problems.push(...result.problems);
    if (result.fatal) break;
  }
  return problems;
}

describeFamily<RngCase>('rng', loadFamily<RngCase>('rng'), runCase);
