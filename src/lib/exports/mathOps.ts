/** `torch.*` functions of the pointwise / reduction / activation ops (re-exported by src/lib/index.ts). */
export {
  add, sub, rsub, mul, div, trueDivide, floorDivide, remainder, fmod, pow, square,
  type AlphaOptions, type DivOptions, type RoundingMode,
} from '../ops/pointwise';
export {
  maximum, minimum, where, clamp, clamp as clip, clampMin, clampMax, type ClampOptions, type ClampBound,
} from '../ops/selection';
export {
  neg, neg as negative, reciprocal, exp, exp2, expm1, log, log2, log10, log1p, sqrt, rsqrt, abs, abs as absolute,
  sign, sgn, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, sigmoid, erf, erfc, floor, ceil, trunc, fix, frac,
  round, nanToNum, type RoundOptions, type NanToNumOptions,
} from '../ops/unary';
export {
  eq, ne, gt, lt, ge, le, isnan, isinf, isposinf, isneginf, isfinite, logicalNot, logicalAnd, logicalOr, logicalXor,
  isclose, allclose, equal, type IsCloseOptions,
} from '../ops/comparison';
export {
  sum, mean, prod, logsumexp, variance as var, std, all, any, cumsum,
  type ReduceOptions, type DimReduceOptions, type VarOptions,
} from '../ops/reduction';
export { max, min, amax, amin, argmax, argmin, ValuesIndices } from '../ops/extrema';
export type { KeepdimOptions } from '../ops/reduceArgs';
export { relu, softmax, logSoftmax, type SoftmaxOptions } from '../ops/activation';
