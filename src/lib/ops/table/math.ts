import type { OpDef } from '../registry';
import {
  addDef, divDef, divRoundingDef, divScalarDef, fmodScalarDef, fmodTensorDef, mulDef, mulScalarDef, powScalarTensorDef,
  powTensorScalarDef, powTensorTensorDef, remainderScalarDef, remainderTensorDef, rsubDef, subDef,
} from '../pointwise';
import { clampScalarDef, clampTensorDef, maximumDef, minimumDef, whereDef } from '../selection';
import {
  absDef, acosDef, asinDef, atanDef, ceilDef, cosDef, coshDef, erfcDef, erfDef, exp2Def, expDef, expm1Def, floorDef,
  fracDef, log10Def, log1pDef, log2Def, logDef, nanToNumDef, negDef, reciprocalDef, roundDef, rsqrtDef, sigmoidBackwardDef,
  sigmoidDef, signDef, sinDef, sinhDef, sqrtDef, tanDef, tanhBackwardDef, tanhDef, truncDef,
} from '../unary';
import {
  eqDef, geDef, gtDef, iscloseDef, isfiniteDef, isinfDef, isnanDef, isneginfDef, isposinfDef, leDef, logicalAndDef,
  logicalNotDef, logicalOrDef, logicalXorDef, ltDef, neDef,
} from '../comparison';
import {
  allDef, anyDef, cumsumDef, logsumexpDef, meanDef, prodDef, prodOthersDef, stdDef, sumDef, varDef,
} from '../reduction';
import { amaxDef, aminDef, argmaxDef, argminDef, maxDef, maxDimDef, minDef, minDimDef } from '../extrema';
import {
  eluDef, eluInplaceDef, geluBackwardDef, geluDef, hardtanhDef, hardtanhInplaceDef, leakyReluBackwardDef, leakyReluDef,
  leakyReluInplaceDef, logSoftmaxBackwardDataDef, logSoftmaxDef, reluDef, siluBackwardDef, siluDef, softmaxBackwardDataDef,
  softmaxDef, softplusBackwardDef, softplusDef, thresholdBackwardDef,
} from '../activation';

/** Pointwise, comparison, reduction and activation ops. */
export const mathOpDefs: OpDef<never>[] = [
  // arithmetic
  addDef, subDef, rsubDef, mulDef, mulScalarDef, divDef, divScalarDef, divRoundingDef,
  remainderScalarDef, remainderTensorDef, fmodScalarDef, fmodTensorDef,
  powTensorScalarDef, powTensorTensorDef, powScalarTensorDef, maximumDef, minimumDef, whereDef, clampScalarDef, clampTensorDef,
  // unary math
  negDef, reciprocalDef, expDef, exp2Def, expm1Def, logDef, log2Def, log10Def, log1pDef, sqrtDef, rsqrtDef, absDef, signDef,
  sinDef, cosDef, tanDef, asinDef, acosDef, atanDef, sinhDef, coshDef, tanhDef, sigmoidDef, erfDef, erfcDef,
  floorDef, ceilDef, truncDef, fracDef, roundDef, nanToNumDef, tanhBackwardDef, sigmoidBackwardDef,
  // comparisons and logic
  eqDef, neDef, gtDef, ltDef, geDef, leDef, isnanDef, isinfDef, isposinfDef, isneginfDef, isfiniteDef,
  logicalNotDef, logicalAndDef, logicalOrDef, logicalXorDef, iscloseDef,
  // reductions
  sumDef, meanDef, prodDef, prodOthersDef, maxDef, maxDimDef, minDef, minDimDef, amaxDef, aminDef, argmaxDef, argminDef,
  logsumexpDef, varDef, stdDef, allDef, anyDef, cumsumDef,
  // activations
  reluDef, thresholdBackwardDef, leakyReluDef, leakyReluInplaceDef, leakyReluBackwardDef, geluDef, geluBackwardDef,
  siluDef, siluBackwardDef, softplusDef, softplusBackwardDef, eluDef, eluInplaceDef, hardtanhDef, hardtanhInplaceDef,
  softmaxDef, softmaxBackwardDataDef, logSoftmaxDef, logSoftmaxBackwardDataDef,
] as OpDef<never>[];
