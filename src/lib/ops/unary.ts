import { isFloating, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { Tensor } from '../tensor';
import { binaryMap, expMap, unaryMap } from './kernels';
import { defaultDtype, resultType } from './promote';
import { run1, type OpDef } from './registry';
import { inplace } from './inplace';
import { erf as erfScalar, erfc as erfcScalar, roundDecimals, roundHalfEven, sign as signScalar } from './scalarMath';
import { mulScalar } from './pointwise';
import { isfinite } from './comparison';

/**
 * Elementwise functions of one tensor (exp, log, sqrt, abs, sin, tanh, sigmoid, floor, ...).
 * Each is one `OpDef` built by `unaryDef` from its scalar function and its derivative written
 * with tensor ops (so double backward works). Values are computed in double and rounded once
 * into the output dtype.
 */

const LN2 = Math.LN2;
const LN10 = Math.LN10;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Which dtype the result has: `float` ops compute integers in the default float dtype. */
type ResultKind = 'float' | 'same';

interface UnarySpec {
  name: string;
  torch?: string;
  gradFn: string;
  fn: (x: number) => number;
  kind: ResultKind;
  /** What the backward reads: the input (`x`) or the result (`y`). */
  saves?: 'input' | 'output';
  /** Gradient of the input from the upstream gradient and the saved tensor. */
  backward?: (grad: Tensor, saved: Tensor) => Tensor;
  rule: string;
}

function resultDtype(kind: ResultKind, d: DType): DType {
  return kind === 'same' || isFloating(d) ? d : defaultDtype();
}

function unaryDef(spec: UnarySpec): OpDef {
  const { fn, kind, saves, backward } = spec;
  const def: OpDef = {
    name: spec.name,
    gradFn: spec.gradFn,
    forward: ([a]) => unaryMap(a, resultDtype(kind, a.dtype), fn),
    ...(saves === 'input' ? { savesInputs: [0] } : saves === 'output' ? { savesOutputs: [0] } : {}),
    ...(backward ? {
      backward: saves === 'input' ? ({ grad, input }) => [backward(grad, input(0))]
        : saves === 'output' ? ({ grad, output }) => [backward(grad, output(0))]
          : ({ grad }) => [backward(grad, grad)],
    } : {}),
    doc: { torch: spec.torch ?? `torch.${spec.name}`, example: `torch.${spec.name}(a)`, rule: spec.rule },
  };
  return def;
}

/** Zeros shaped like the gradient: the derivative of a piecewise-constant function. */
function zerosLikeGrad(grad: Tensor): Tensor {
  return Tensor._empty(grad.shape, grad.dtype);
}

export const negDef: OpDef = {
  ...unaryDef({
    name: 'neg', gradFn: 'NegBackward0', fn: (x) => -x, kind: 'same',
    backward: (g) => g.neg(), rule: '−grad',
  }),
  forward: ([a]) => {
    if (a.dtype === 'bool') {
      throw new RuntimeError(
        'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
    }
    return unaryMap(a, a.dtype, (x) => -x);
  },
};

export const reciprocalDef = unaryDef({
  name: 'reciprocal', gradFn: 'ReciprocalBackward0', fn: (x) => 1 / x, kind: 'float', saves: 'output',
  backward: (g, y) => g.neg().mul(y.mul(y)), rule: '−grad/a²',
});

export const expDef: OpDef = {
  ...unaryDef({
    name: 'exp', gradFn: 'ExpBackward0', fn: Math.exp, kind: 'float', saves: 'output',
    backward: (g, y) => g.mul(y), rule: 'grad·exp(a)',
  }),
  forward: ([a]) => expMap(a, resultDtype('float', a.dtype)),
};

export const exp2Def = unaryDef({
  name: 'exp2', gradFn: 'Exp2Backward0', fn: (x) => Math.pow(2, x), kind: 'float', saves: 'output',
  backward: (g, y) => mulScalar(g.mul(y), LN2), rule: 'grad·2^a·ln 2',
});

export const expm1Def = unaryDef({
  name: 'expm1', gradFn: 'Expm1Backward0', fn: Math.expm1, kind: 'float', saves: 'output',
  backward: (g, y) => g.mul(y.add(1)), rule: 'grad·(expm1(a) + 1)',
});

export const logDef = unaryDef({
  name: 'log', gradFn: 'LogBackward0', fn: Math.log, kind: 'float', saves: 'input',
  backward: (g, x) => g.div(x), rule: 'grad/a',
});

export const log2Def = unaryDef({
  name: 'log2', gradFn: 'Log2Backward0', fn: Math.log2, kind: 'float', saves: 'input',
  backward: (g, x) => g.div(mulScalar(x, LN2)), rule: 'grad/(a·ln 2)',
});

export const log10Def = unaryDef({
  name: 'log10', gradFn: 'Log10Backward0', fn: Math.log10, kind: 'float', saves: 'input',
  backward: (g, x) => g.div(mulScalar(x, LN10)), rule: 'grad/(a·ln 10)',
});

export const log1pDef = unaryDef({
  name: 'log1p', gradFn: 'Log1PBackward0', fn: Math.log1p, kind: 'float', saves: 'input',
  backward: (g, x) => g.div(x.add(1)), rule: 'grad/(a + 1)',
});

export const sqrtDef = unaryDef({
  name: 'sqrt', gradFn: 'SqrtBackward0', fn: Math.sqrt, kind: 'float', saves: 'output',
  backward: (g, y) => g.div(mulScalar(y, 2)), rule: 'grad/(2·√a)',
});

export const rsqrtDef: OpDef = {
  ...unaryDef({
    name: 'rsqrt', gradFn: 'RsqrtBackward0', fn: (x) => 1 / Math.sqrt(x), kind: 'float', saves: 'output',
    backward: (g, y) => mulScalar(g.mul(y.pow(3)), -0.5), rule: '−grad·a^(−3/2)/2',
  }),
  // NOTE: ATen computes 1/sqrt(x) with two float32 roundings.
  forward: ([a]) => {
    const dtype = resultDtype('float', a.dtype);
    if (dtype !== 'float32') return unaryMap(a, dtype, (x) => 1 / Math.sqrt(x));
    return unaryMap(a, dtype, (x) => 1 / Math.fround(Math.sqrt(x)));
  },
};

export const absDef: OpDef = {
  ...unaryDef({
    name: 'abs', gradFn: 'AbsBackward0', fn: Math.abs, kind: 'same', saves: 'input',
    backward: (g, x) => g.mul(sign(x)), rule: 'grad·sign(a) (0 at 0)',
  }),
  forward: ([a]) => unaryMap(a, a.dtype, a.dtype === 'bool' ? (x) => x : Math.abs),
};

export const signDef = unaryDef({
  name: 'sign', gradFn: 'SignBackward0', fn: signScalar, kind: 'same',
  backward: zerosLikeGrad, rule: 'zero',
});

export const sinDef = unaryDef({
  name: 'sin', gradFn: 'SinBackward0', fn: Math.sin, kind: 'float', saves: 'input',
  backward: (g, x) => g.mul(x.cos()), rule: 'grad·cos(a)',
});

export const cosDef = unaryDef({
  name: 'cos', gradFn: 'CosBackward0', fn: Math.cos, kind: 'float', saves: 'input',
  backward: (g, x) => g.mul(x.sin().neg()), rule: '−grad·sin(a)',
});

export const tanDef = unaryDef({
  name: 'tan', gradFn: 'TanBackward0', fn: Math.tan, kind: 'float', saves: 'output',
  backward: (g, y) => g.mul(y.pow(2).add(1)), rule: 'grad·(1 + tan²(a))',
});

export const asinDef = unaryDef({
  name: 'asin', gradFn: 'AsinBackward0', fn: Math.asin, kind: 'float', saves: 'input',
  backward: (g, x) => g.mul(x.neg().mul(x).add(1).rsqrt()), rule: 'grad/√(1 − a²)',
});

export const acosDef = unaryDef({
  name: 'acos', gradFn: 'AcosBackward0', fn: Math.acos, kind: 'float', saves: 'input',
  backward: (g, x) => g.mul(x.neg().mul(x).add(1).rsqrt().neg()), rule: '−grad/√(1 − a²)',
});

export const atanDef = unaryDef({
  name: 'atan', gradFn: 'AtanBackward0', fn: Math.atan, kind: 'float', saves: 'input',
  backward: (g, x) => g.div(x.mul(x).add(1)), rule: 'grad/(1 + a²)',
});

export const sinhDef = unaryDef({
  name: 'sinh', gradFn: 'SinhBackward0', fn: Math.sinh, kind: 'float', saves: 'input',
  backward: (g, x) => g.mul(x.cosh()), rule: 'grad·cosh(a)',
});

export const coshDef = unaryDef({
  name: 'cosh', gradFn: 'CoshBackward0', fn: Math.cosh, kind: 'float', saves: 'input',
  backward: (g, x) => g.mul(x.sinh()), rule: 'grad·sinh(a)',
});

export const tanhDef = unaryDef({
  name: 'tanh', gradFn: 'TanhBackward0', fn: Math.tanh, kind: 'float', saves: 'output',
  backward: (g, y) => tanhBackward(g, y), rule: 'grad·(1 − tanh²(a))',
});

export const sigmoidDef = unaryDef({
  name: 'sigmoid', gradFn: 'SigmoidBackward0', fn: (x) => 1 / (1 + Math.exp(-x)), kind: 'float', saves: 'output',
  backward: (g, y) => sigmoidBackward(g, y), rule: 'grad·σ(a)·(1 − σ(a))',
});

export const erfDef = unaryDef({
  name: 'erf', gradFn: 'ErfBackward0', fn: erfScalar, kind: 'float', saves: 'input',
  backward: (g, x) => mulScalar(x.pow(2).neg().exp(), TWO_OVER_SQRT_PI).mul(g), rule: 'grad·2/√π·exp(−a²)',
});

export const erfcDef = unaryDef({
  name: 'erfc', gradFn: 'ErfcBackward0', fn: erfcScalar, kind: 'float', saves: 'input',
  backward: (g, x) => mulScalar(x.pow(2).neg().exp(), -TWO_OVER_SQRT_PI).mul(g), rule: '−grad·2/√π·exp(−a²)',
});

export const floorDef = unaryDef({
  name: 'floor', gradFn: 'FloorBackward0', fn: Math.floor, kind: 'same', backward: zerosLikeGrad, rule: 'zero',
});
export const ceilDef = unaryDef({
  name: 'ceil', gradFn: 'CeilBackward0', fn: Math.ceil, kind: 'same', backward: zerosLikeGrad, rule: 'zero',
});
export const truncDef = unaryDef({
  name: 'trunc', gradFn: 'TruncBackward0', fn: Math.trunc, kind: 'same', backward: zerosLikeGrad, rule: 'zero',
});
export const fracDef = unaryDef({
  name: 'frac', gradFn: 'FracBackward0', fn: (x) => x - Math.trunc(x), kind: 'same', backward: (g) => g, rule: 'grad',
});

/** round(a) is RoundBackward0, round(a, decimals=d) RoundBackward1. */
export const roundDef: OpDef<{ decimals: number | null }> = {
  name: 'round',
  gradFn: (attrs) => (attrs.decimals === null ? 'RoundBackward0' : 'RoundBackward1'),
  forward: ([a], { decimals }) => {
    if (!isFloating(a.dtype)) return unaryMap(a, a.dtype, (x) => x);
    if (decimals === null || decimals === 0) return unaryMap(a, a.dtype, roundHalfEven);
    const f32 = a.dtype === 'float32';
    return unaryMap(a, a.dtype, (x) => (f32 ? roundDecimalsF32(x, decimals) : roundDecimals(x, decimals)));
  },
  backward: ({ grad }) => [zerosLikeGrad(grad)],
  doc: { torch: 'torch.round', example: 'torch.round(a, { decimals: 2 })', rule: 'zero' },
};

/** round with decimals in float32 arithmetic (the scaling by 10^d rounds in float32). */
function roundDecimalsF32(x: number, decimals: number): number {
  const ten = Math.fround(Math.pow(10, Math.abs(decimals)));
  return decimals > 0
    ? Math.fround(roundHalfEven(Math.fround(x * ten)) / ten)
    : Math.fround(roundHalfEven(Math.fround(x / ten)) * ten);
}

interface NanToNumAttrs { nan: number; posinf: number | null; neginf: number | null }

export const nanToNumDef: OpDef<NanToNumAttrs> = {
  name: 'nanToNum',
  gradFn: 'NanToNumBackward0',
  forward: ([a], { nan, posinf, neginf }) => {
    if (!isFloating(a.dtype)) return unaryMap(a, a.dtype, (x) => x);
    const big = a.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const pos = posinf ?? big;
    const neg = neginf ?? -big;
    return unaryMap(a, a.dtype, (x) => (x !== x ? nan : x === Infinity ? pos : x === -Infinity ? neg : x));
  },
  savesInputs: [0],
  backward: ({ grad, input }) => [grad.mul(isfinite(input(0)))],
  doc: { torch: 'torch.nan_to_num', example: 'torch.nanToNum(a, { nan: 0 })', rule: 'grad where a is finite, else 0' },
};

// ------------------------------------------------------------------------------------------ backward kernels

/**
 * tanh's backward `grad·(1 − y²)` as one node (TanhBackwardBackward0 when differentiated again),
 * inputs [gradOutput, output].
 */
export const tanhBackwardDef: OpDef = {
  name: 'tanhBackward',
  gradFn: 'TanhBackwardBackward0',
  forward: ([g, y]) => binaryMap(g, y, resultType([g, y]), (gv, yv) => gv * (1 - yv * yv)),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? tanhBackward(grad, input(1)) : null,
    needsGrad(1) ? grad.mul(mulScalar(input(1), -2).mul(input(0))) : null,
  ],
  doc: { torch: 'torch.ops.aten.tanh_backward', example: 'tanhBackward(g, y)', rule: '∂/∂g = 1 − y², ∂/∂y = −2·y·g' },
};

/** sigmoid's backward `grad·y·(1 − y)` (SigmoidBackwardBackward0), inputs [gradOutput, output]. */
export const sigmoidBackwardDef: OpDef = {
  name: 'sigmoidBackward',
  gradFn: 'SigmoidBackwardBackward0',
  forward: ([g, y]) => binaryMap(g, y, resultType([g, y]), (gv, yv) => gv * (1 - yv) * yv),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? sigmoidBackward(grad, input(1)) : null,
    needsGrad(1) ? grad.mul(input(0)).mul(mulScalar(input(1), -2).add(1)) : null,
  ],
  doc: { torch: 'torch.ops.aten.sigmoid_backward', example: 'sigmoidBackward(g, y)', rule: '∂/∂g = y(1 − y), ∂/∂y = g·(1 − 2y)' },
};

export function tanhBackward(grad: Tensor, output: Tensor): Tensor {
  return run1(tanhBackwardDef, [grad, output], {});
}
export function sigmoidBackward(grad: Tensor, output: Tensor): Tensor {
  return run1(sigmoidBackwardDef, [grad, output], {});
}

// ------------------------------------------------------------------------------------------ functions

export function neg(a: Tensor): Tensor { return run1(negDef, [a], {}); }
export function reciprocal(a: Tensor): Tensor { return run1(reciprocalDef, [a], {}); }
export function exp(a: Tensor): Tensor { return run1(expDef, [a], {}); }
export function exp2(a: Tensor): Tensor { return run1(exp2Def, [a], {}); }
export function expm1(a: Tensor): Tensor { return run1(expm1Def, [a], {}); }
export function log(a: Tensor): Tensor { return run1(logDef, [a], {}); }
export function log2(a: Tensor): Tensor { return run1(log2Def, [a], {}); }
export function log10(a: Tensor): Tensor { return run1(log10Def, [a], {}); }
export function log1p(a: Tensor): Tensor { return run1(log1pDef, [a], {}); }
export function sqrt(a: Tensor): Tensor { return run1(sqrtDef, [a], {}); }
export function rsqrt(a: Tensor): Tensor { return run1(rsqrtDef, [a], {}); }
export function abs(a: Tensor): Tensor { return run1(absDef, [a], {}); }
export function sign(a: Tensor): Tensor { return run1(signDef, [a], {}); }
export function sin(a: Tensor): Tensor { return run1(sinDef, [a], {}); }
export function cos(a: Tensor): Tensor { return run1(cosDef, [a], {}); }
export function tan(a: Tensor): Tensor { return run1(tanDef, [a], {}); }
export function asin(a: Tensor): Tensor { return run1(asinDef, [a], {}); }
export function acos(a: Tensor): Tensor { return run1(acosDef, [a], {}); }
export function atan(a: Tensor): Tensor { return run1(atanDef, [a], {}); }
export function sinh(a: Tensor): Tensor { return run1(sinhDef, [a], {}); }
export function cosh(a: Tensor): Tensor { return run1(coshDef, [a], {}); }
export function tanh(a: Tensor): Tensor { return run1(tanhDef, [a], {}); }
export function sigmoid(a: Tensor): Tensor { return run1(sigmoidDef, [a], {}); }
export function erf(a: Tensor): Tensor { return run1(erfDef, [a], {}); }
export function erfc(a: Tensor): Tensor { return run1(erfcDef, [a], {}); }
export function floor(a: Tensor): Tensor { return run1(floorDef, [a], {}); }
export function ceil(a: Tensor): Tensor { return run1(ceilDef, [a], {}); }
export function trunc(a: Tensor): Tensor { return run1(truncDef, [a], {}); }
export function frac(a: Tensor): Tensor { return run1(fracDef, [a], {}); }

export interface RoundOptions { decimals?: number }
export function round(a: Tensor, options: RoundOptions = {}): Tensor {
  return run1(roundDef, [a], { decimals: options.decimals ?? null });
}

export interface NanToNumOptions { nan?: number; posinf?: number | null; neginf?: number | null }
/** `torch.nan_to_num(a, nan=0.0, posinf=None, neginf=None)`: infinities become the dtype's extremes. */
export function nanToNum(a: Tensor, options: NanToNumOptions = {}): Tensor {
  return run1(nanToNumDef, [a], nanToNumAttrs(options));
}
function nanToNumAttrs(options: NanToNumOptions): NanToNumAttrs {
  return { nan: options.nan ?? 0, posinf: options.posinf ?? null, neginf: options.neginf ?? null };
}

/** `torch.sgn` is sign for real tensors. */
export const sgn = sign;
/** `torch.fix` is trunc. */
export const fix = trunc;

// ------------------------------------------------------------------------------------------ methods

const simple = {
  neg: negDef, reciprocal: reciprocalDef, exp: expDef, exp2: exp2Def, expm1: expm1Def, log: logDef,
  log2: log2Def, log10: log10Def, log1p: log1pDef, sqrt: sqrtDef, rsqrt: rsqrtDef, abs: absDef,
  sign: signDef, sgn: signDef, sin: sinDef, cos: cosDef, tan: tanDef, asin: asinDef, acos: acosDef,
  atan: atanDef, sinh: sinhDef, cosh: coshDef, tanh: tanhDef, sigmoid: sigmoidDef, erf: erfDef,
  erfc: erfcDef, floor: floorDef, ceil: ceilDef, trunc: truncDef, fix: truncDef, frac: fracDef,
} as const;

type SimpleName = keyof typeof simple;
type SimpleMethods = { [K in SimpleName]: () => Tensor };
type SimpleInplaceMethods = { [K in SimpleName as `${K}_`]: () => Tensor };

declare module '../tensor' {
  interface Tensor extends SimpleMethods, SimpleInplaceMethods {
    /** `-a` */
    negative(): Tensor;
    absolute(): Tensor;
    round(options?: RoundOptions): Tensor;
    round_(options?: RoundOptions): Tensor;
    nanToNum(options?: NanToNumOptions): Tensor;
    nanToNum_(options?: NanToNumOptions): Tensor;
  }
}

const proto = Tensor.prototype as unknown as Record<string, unknown>;
for (const [name, def] of Object.entries(simple)) {
  proto[name] = function (this: Tensor) { return run1(def, [this], {}); };
  proto[`${name}_`] = function (this: Tensor) { return inplace(def, this, [this], {}); };
}
const tproto = Tensor.prototype;
tproto.negative = function () { return neg(this); };
tproto.absolute = function () { return abs(this); };
tproto.round = function (options) { return round(this, options); };
tproto.round_ = function (options) { return inplace(roundDef, this, [this], { decimals: options?.decimals ?? null }); };
tproto.nanToNum = function (options) { return nanToNum(this, options); };
tproto.nanToNum_ = function (options) { return inplace(nanToNumDef, this, [this], nanToNumAttrs(options ?? {})); };

