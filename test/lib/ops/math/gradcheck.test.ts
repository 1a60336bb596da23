/**
 * Finite-difference gradient checks (like torch.autograd.gradcheck / gradgradcheck) for every
 * differentiable pointwise, reduction and activation op, in float64 on random inputs chosen away
 * from kinks. First order: autograd's vector-Jacobian product against central differences of
 * Σ v·f(x). Second order: the gradient of Σ w·(∂/∂x Σ v·f) w.r.t. x and v (createGraph) against
 * central differences of first-order gradients — this exercises every backward rule's own backward.
 */
import assert from 'node:assert/strict';
import * as torch from '../../../../src/lib/index';
import type { Tensor } from '../../../../src/lib/index';

const F = torch.nn.functional;

/** Deterministic uniform numbers (xorshift32), independent of the library's generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

type Domain = [number, number];

interface InputSpec {
  shape: number[];
  /** Values drawn uniformly from here (both signs when `signed`: ±[lo, hi]). */
  range?: Domain;
  signed?: boolean;
  /** A constant (no gradient) boolean mask. */
  mask?: boolean;
  /** Put exact zeros at these flat positions. */
  zeros?: number[];
  noGrad?: boolean;
}

interface Check {
  name: string;
  inputs: InputSpec[];
  fn: (...xs: Tensor[]) => Tensor;
}

function makeInput(spec: InputSpec, next: () => number): Tensor {
  const n = spec.shape.reduce((p, s) => p * s, 1);
  if (spec.mask) {
    const data = Array.from({ length: n }, () => next() < 0.5);
    return torch.tensor(data.length === 0 ? [] : data).reshape(spec.shape);
  }
  const [lo, hi] = spec.range ?? [-2, 2];
  const data = Array.from({ length: n }, () => {
    const v = lo + (hi - lo) * next();
    return spec.signed && next() < 0.5 ? -v : v;
  });
  for (const z of spec.zeros ?? []) data[z] = 0;
  const t = torch.tensor(data, { dtype: torch.float64 }).reshape(spec.shape).detach();
  return t.requiresGrad_(!spec.noGrad);
}

function randomLike(t: Tensor, next: () => number): Tensor {
  const data = Array.from({ length: t.numel() }, () => 2 * next() - 1);
  return torch.tensor(data, { dtype: torch.float64 }).reshape(t.shape.slice());
}

/** Σ v·f(inputs), evaluated without recording. */
function weightedSum(fn: () => Tensor, v: Tensor): number {
  return torch.noGrad(() => fn().mul(v).sum().item());
}

/** Central differences of `scalar` w.r.t. every element of `x` (perturbing x's storage in place). */
function numericGradient(x: Tensor, scalar: () => number, eps: number): Float64Array {
  const out = new Float64Array(x.numel());
  const data = x._data;
  for (let i = 0; i < out.length; i++) {
    const j = x._storageIndex(i);
    const orig = data[j];
    data[j] = orig + eps;
    const plus = scalar();
    data[j] = orig - eps;
    const minus = scalar();
    data[j] = orig;
    out[i] = (plus - minus) / (2 * eps);
  }
  return out;
}

function assertClose(what: string, got: Tensor | null, expected: Float64Array, rtol: number, atol: number): void {
  const values = got === null ? new Float64Array(expected.length) : got._toArray();
  for (let i = 0; i < expected.length; i++) {
    const g = values[i], e = expected[i];
    assert.ok(Math.abs(g - e) <= atol + rtol * Math.abs(e), `${what}[${i}]: autograd ${g}, finite differences ${e}`);
  }
}

const EPS = 1e-6;
const RTOL = 1e-5;
const ATOL = 1e-7;

function gradcheck(check: Check, seed: number): void {
  const next = rng(seed);
  const inputs = check.inputs.map((s) => makeInput(s, next));
  const wrt = inputs.filter((t) => t.requiresGrad);
  const out = check.fn(...inputs);
  assert.equal(out.dtype, 'float64', `${check.name}: output dtype`);
  const v = randomLike(out, next);
  const analytic = torch.autograd.grad(out, wrt, { gradOutputs: v, allowUnused: true });
  wrt.forEach((x, k) => {
    const numeric = numericGradient(x, () => weightedSum(() => check.fn(...inputs), v), EPS);
    assertClose(`${check.name} d/d input ${inputs.indexOf(x)}`, analytic[k], numeric, RTOL, ATOL);
  });

  // Second order: s(x, v) = Σ_k Σ w_k·(∂/∂x_k Σ v·f(x)).
  const vLeaf = v.detach().requiresGrad_(true);
  const ws = wrt.map((x) => randomLike(x, next));
  const firstGrads = (withGraph: boolean, vv: Tensor): (Tensor | null)[] =>
    torch.autograd.grad(check.fn(...inputs), wrt, { gradOutputs: vv, createGraph: withGraph, allowUnused: true });
  const secondScalar = (): number => {
    const gs = firstGrads(false, v);
    return gs.reduce((acc, g, k) => acc + (g === null ? 0 : g.mul(ws[k]).sum().item()), 0);
  };
  const gs = firstGrads(true, vLeaf);
  let s: Tensor | null = null;
  gs.forEach((g, k) => {
    if (g === null || !g.requiresGrad) return;
    const term = g.mul(ws[k]).sum();
    s = s === null ? term : s.add(term);
  });
  if (s === null) return; // the first derivative does not depend on anything differentiable
  const targets = [...wrt, vLeaf];
  const second = torch.autograd.grad(s, targets, { allowUnused: true });
  targets.forEach((x, k) => {
    const numeric = numericGradient(x === vLeaf ? v : x, secondScalar, EPS);
    assertClose(`${check.name} second order d/d ${x === vLeaf ? 'v' : `input ${inputs.indexOf(x)}`}`, second[k], numeric, 1e-4, 1e-6);
  });
}

const S = [3, 4];
const pos: Domain = [0.3, 2];
const away: InputSpec = { shape: S, range: [0.2, 2], signed: true };

const checks: Check[] = [
  // arithmetic
  { name: 'add', inputs: [{ shape: S }, { shape: [4] }], fn: (a, b) => torch.add(a, b) },
  { name: 'add alpha', inputs: [{ shape: S }, { shape: S }], fn: (a, b) => torch.add(a, b, { alpha: 0.3 }) },
  { name: 'add scalar', inputs: [{ shape: S }], fn: (a) => a.add(2.5) },
  { name: 'sub', inputs: [{ shape: [3, 1] }, { shape: [1, 4] }], fn: (a, b) => torch.sub(a, b) },
  { name: 'sub alpha', inputs: [{ shape: S }, { shape: S }], fn: (a, b) => torch.sub(a, b, { alpha: 1.5 }) },
  { name: 'rsub', inputs: [{ shape: S }], fn: (a) => torch.sub(2, a) },
  { name: 'mul', inputs: [{ shape: S }, { shape: [4] }], fn: (a, b) => torch.mul(a, b) },
  { name: 'mul self', inputs: [{ shape: S }], fn: (a) => a.mul(a) },
  { name: 'mul scalar', inputs: [{ shape: S }], fn: (a) => torch.mul(-3, a) },
  { name: 'div', inputs: [{ shape: S }, { ...away, shape: [4] }], fn: (a, b) => torch.div(a, b) },
  { name: 'div scalar numerator', inputs: [away], fn: (a) => torch.div(2.5, a) },
  { name: 'div floor', inputs: [{ shape: S }, away], fn: (a, b) => torch.div(a, b, { roundingMode: 'floor' }) },
  { name: 'remainder scalar', inputs: [{ shape: [20], range: [0.05, 0.95] }], fn: (a) => torch.remainder(a.mul(1), 1.3) },
  { name: 'remainder tensor', inputs: [{ shape: S, range: [0.5, 3], signed: true }, { shape: [4], range: [0.7, 0.9], signed: true }],
    fn: (a, b) => torch.remainder(a, b) },
  { name: 'fmod tensor', inputs: [{ shape: S, range: [0.5, 3], signed: true }, { shape: [4], range: [0.7, 0.9], signed: true }],
    fn: (a, b) => torch.fmod(a, b) },
  { name: 'pow 2', inputs: [{ shape: S }], fn: (a) => a.pow(2) },
  { name: 'pow 3', inputs: [{ shape: S }], fn: (a) => torch.pow(a, 3) },
  { name: 'pow 0.5', inputs: [{ shape: S, range: pos }], fn: (a) => a.pow(0.5) },
  { name: 'pow -1', inputs: [away], fn: (a) => a.pow(-1) },
  { name: 'pow -0.5', inputs: [{ shape: S, range: pos }], fn: (a) => a.pow(-0.5) },
  { name: 'pow 2.5', inputs: [{ shape: S, range: pos }], fn: (a) => a.pow(2.5) },
  { name: 'pow 0', inputs: [{ shape: S }], fn: (a) => a.pow(0) },
  { name: 'pow tensor', inputs: [{ shape: S, range: pos }, { shape: [4] }], fn: (a, b) => torch.pow(a, b) },
  { name: 'pow scalar base', inputs: [{ shape: S }], fn: (a) => torch.pow(1.7, a) },
  { name: 'square', inputs: [{ shape: S }], fn: (a) => torch.square(a) },
  { name: 'maximum', inputs: [{ shape: S }, { shape: [4] }], fn: (a, b) => torch.maximum(a, b) },
  { name: 'minimum', inputs: [{ shape: S }, { shape: S }], fn: (a, b) => torch.minimum(a, b) },
  { name: 'max binary', inputs: [{ shape: S }, { shape: S }], fn: (a, b) => torch.max(a, b) },
  { name: 'where', inputs: [{ shape: S, mask: true }, { shape: S }, { shape: [4] }], fn: (c, a, b) => torch.where(c, a, b) },
  { name: 'where scalar', inputs: [{ shape: S, mask: true }, { shape: S }], fn: (c, a) => torch.where(c, a, 0) },
  { name: 'clamp', inputs: [{ shape: [20], range: [0, 3] }], fn: (a) => torch.clamp(a, -0.7, 0.9) },
  { name: 'clamp min', inputs: [{ shape: [20], range: [0, 3] }], fn: (a) => torch.clamp(a, { min: 0.55 }) },
  { name: 'clamp tensors', inputs: [{ shape: S }, { shape: [4], range: [-1, -0.1] }, { shape: [3, 1], range: [0.1, 1] }],
    fn: (a, lo, hi) => torch.clamp(a, lo, hi) },
  { name: 'clamp tensors min > max', inputs: [{ shape: S }, { shape: [4], range: [1, 2] }, { shape: [3, 1], range: [-1, 0.5] }],
    fn: (a, lo, hi) => torch.clamp(a, { min: lo, max: hi }) },
  // unary math
  { name: 'neg', inputs: [{ shape: S }], fn: (a) => torch.neg(a) },
  { name: 'reciprocal', inputs: [away], fn: (a) => torch.reciprocal(a) },
  { name: 'exp', inputs: [{ shape: S }], fn: (a) => torch.exp(a) },
  { name: 'exp2', inputs: [{ shape: S }], fn: (a) => torch.exp2(a) },
  { name: 'expm1', inputs: [{ shape: S }], fn: (a) => torch.expm1(a) },
  { name: 'log', inputs: [{ shape: S, range: pos }], fn: (a) => torch.log(a) },
  { name: 'log2', inputs: [{ shape: S, range: pos }], fn: (a) => torch.log2(a) },
  { name: 'log10', inputs: [{ shape: S, range: pos }], fn: (a) => torch.log10(a) },
  { name: 'log1p', inputs: [{ shape: S, range: [-0.5, 2] }], fn: (a) => torch.log1p(a) },
  { name: 'sqrt', inputs: [{ shape: S, range: pos }], fn: (a) => torch.sqrt(a) },
  { name: 'rsqrt', inputs: [{ shape: S, range: pos }], fn: (a) => torch.rsqrt(a) },
  { name: 'abs', inputs: [away], fn: (a) => torch.abs(a) },
  { name: 'sign', inputs: [away], fn: (a) => torch.sign(a) },
  { name: 'sin', inputs: [{ shape: S }], fn: (a) => torch.sin(a) },
  { name: 'cos', inputs: [{ shape: S }], fn: (a) => torch.cos(a) },
  { name: 'tan', inputs: [{ shape: S, range: [-1, 1] }], fn: (a) => torch.tan(a) },
  { name: 'asin', inputs: [{ shape: S, range: [-0.9, 0.9] }], fn: (a) => torch.asin(a) },
  { name: 'acos', inputs: [{ shape: S, range: [-0.9, 0.9] }], fn: (a) => torch.acos(a) },
  { name: 'atan', inputs: [{ shape: S }], fn: (a) => torch.atan(a) },
  { name: 'sinh', inputs: [{ shape: S }], fn: (a) => torch.sinh(a) },
  { name: 'cosh', inputs: [{ shape: S }], fn: (a) => torch.cosh(a) },
  { name: 'tanh', inputs: [{ shape: S }], fn: (a) => torch.tanh(a) },
  { name: 'sigmoid', inputs: [{ shape: S, range: [-4, 4] }], fn: (a) => torch.sigmoid(a) },
  { name: 'erf', inputs: [{ shape: S, range: [-3, 3] }], fn: (a) => torch.erf(a) },
  { name: 'erfc', inputs: [{ shape: S, range: [-3, 3] }], fn: (a) => torch.erfc(a) },
  { name: 'floor', inputs: [{ shape: S, range: [0.1, 0.9] }], fn: (a) => torch.floor(a.mul(1)) },
  { name: 'round', inputs: [{ shape: S, range: [0.1, 0.4] }], fn: (a) => torch.round(a) },
  { name: 'frac', inputs: [{ shape: S, range: [0.1, 0.9], signed: true }], fn: (a) => torch.frac(a) },
  { name: 'nanToNum', inputs: [{ shape: S }], fn: (a) => torch.nanToNum(a) },
  // reductions
  { name: 'sum', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.sum(a) },
  { name: 'sum dims', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.sum(a, [0, 2]) },
  { name: 'sum keepdim', inputs: [{ shape: [2, 3, 4] }], fn: (a) => a.sum(1, { keepdim: true }) },
  { name: 'mean', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.mean(a) },
  { name: 'mean dims', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.mean(a, { dim: [-1, 0] }) },
  { name: 'prod', inputs: [{ shape: S, range: [0.5, 1.5], signed: true }], fn: (a) => torch.prod(a) },
  { name: 'prod dim', inputs: [{ shape: S, range: [0.5, 1.5] }], fn: (a) => torch.prod(a, 1) },
  { name: 'prod one zero', inputs: [{ shape: S, range: [0.5, 1.5], zeros: [5] }], fn: (a) => torch.prod(a) },
  { name: 'prod two zeros dim', inputs: [{ shape: S, range: [0.5, 1.5], zeros: [4, 6, 11] }],
    fn: (a) => torch.prod(a, 1, { keepdim: true }) },
  { name: 'max all', inputs: [{ shape: S }], fn: (a) => torch.max(a) },
  { name: 'min all', inputs: [{ shape: S }], fn: (a) => a.min() },
  { name: 'max dim', inputs: [{ shape: S }], fn: (a) => torch.max(a, 1).values },
  { name: 'min dim keepdim', inputs: [{ shape: S }], fn: (a) => a.min(0, { keepdim: true }).values },
  { name: 'amax', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.amax(a, [0, 2]) },
  { name: 'amin', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.amin(a, 1, { keepdim: true }) },
  { name: 'logsumexp', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.logsumexp(a, 1) },
  { name: 'logsumexp dims', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.logsumexp(a, [0, 2], { keepdim: true }) },
  { name: 'var', inputs: [{ shape: S }], fn: (a) => torch.var(a) },
  { name: 'var dim', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.var(a, 1) },
  { name: 'var biased keepdim', inputs: [{ shape: S }], fn: (a) => a.var(0, { unbiased: false, keepdim: true }) },
  { name: 'std', inputs: [{ shape: S }], fn: (a) => torch.std(a) },
  { name: 'std dims correction', inputs: [{ shape: [2, 3, 4] }], fn: (a) => torch.std(a, [0, 2], { correction: 2 }) },
  { name: 'cumsum', inputs: [{ shape: S }], fn: (a) => torch.cumsum(a, 1) },
  // activations
  { name: 'relu', inputs: [away], fn: (a) => torch.relu(a) },
  { name: 'F.relu', inputs: [away], fn: (a) => F.relu(a) },
  { name: 'leakyRelu', inputs: [away], fn: (a) => F.leakyRelu(a, { negativeSlope: 0.2 }) },
  { name: 'gelu', inputs: [{ shape: S, range: [-3, 3] }], fn: (a) => F.gelu(a) },
  { name: 'gelu tanh', inputs: [{ shape: S, range: [-3, 3] }], fn: (a) => F.gelu(a, { approximate: 'tanh' }) },
  { name: 'silu', inputs: [{ shape: S, range: [-3, 3] }], fn: (a) => F.silu(a) },
  { name: 'softplus', inputs: [{ shape: S }], fn: (a) => F.softplus(a) },
  { name: 'softplus beta threshold', inputs: [{ shape: S, range: [0, 0.8], signed: true }],
    fn: (a) => F.softplus(a, { beta: 2, threshold: 1.2 }) },
  { name: 'elu', inputs: [away], fn: (a) => F.elu(a, { alpha: 0.7 }) },
  { name: 'hardtanh', inputs: [{ shape: [20], range: [0, 2], signed: true }], fn: (a) => F.hardtanh(a, -0.55, 0.75) },
  { name: 'relu6', inputs: [{ shape: [20], range: [0.1, 8] }], fn: (a) => F.relu6(a) },
  { name: 'softmax', inputs: [{ shape: S }], fn: (a) => torch.softmax(a, 1) },
  { name: 'softmax dim0 3d', inputs: [{ shape: [2, 3, 4] }], fn: (a) => F.softmax(a, { dim: 0 }) },
  { name: 'logSoftmax', inputs: [{ shape: S }], fn: (a) => torch.logSoftmax(a, -1) },
  { name: 'logSoftmax dim1 3d', inputs: [{ shape: [2, 3, 4] }], fn: (a) => F.logSoftmax(a, 1) },
  // in-place variants (on a non-leaf copy): the recorded node must differentiate the original input
  { name: 'add_ alpha', inputs: [{ shape: S }, { shape: [4] }], fn: (a, b) => a.mul(1).add_(b, { alpha: 0.4 }) },
  { name: 'sub_', inputs: [{ shape: S }, { shape: S }], fn: (a, b) => a.mul(1).sub_(b) },
  { name: 'exp_', inputs: [{ shape: S }], fn: (a) => a.mul(1).exp_() },
  { name: 'sigmoid_', inputs: [{ shape: S }], fn: (a) => a.mul(1).sigmoid_() },
  { name: 'tanh_', inputs: [{ shape: S }], fn: (a) => a.mul(1).tanh_() },
  { name: 'clamp_', inputs: [{ shape: [20], range: [0, 3] }], fn: (a) => a.mul(1).clamp_(-0.7, 0.9) },
  { name: 'relu_', inputs: [away], fn: (a) => a.mul(1).relu_() },
  { name: 'leakyRelu inplace', inputs: [away], fn: (a) => F.leakyRelu(a.mul(1), { negativeSlope: 0.1, inplace: true }) },
  { name: 'elu inplace', inputs: [away], fn: (a) => F.elu(a.mul(1), { alpha: 0.7, inplace: true }) },
  { name: 'hardtanh inplace', inputs: [{ shape: [20], range: [0, 2], signed: true }],
    fn: (a) => F.hardtanh(a.mul(1), -0.55, 0.75, { inplace: true }) },
];

describe('math ops: finite-difference gradcheck (float64)', () => {
  checks.forEach((check, i) => {
    it(check.name, () => gradcheck(check, 1000 + i));
  });
});
