import type { OpDef } from '../registry';
import { addDef, divDef, expDef, gtDef, logDef, mulDef, negDef, reciprocalDef, reluDef, sigmoidDef, subDef } from '../pointwise';
import { meanDef, sumDef } from '../reduction';

/** Pointwise, reduction and activation ops. */
export const mathOpDefs: OpDef<never>[] = [
  addDef, subDef, mulDef, divDef, negDef, reciprocalDef, expDef, logDef, sigmoidDef, reluDef, gtDef,
  sumDef, meanDef,
] as OpDef<never>[];
