import type { OpDef } from '../registry';
import {
  expandDef, permuteDef, reshapeDef, squeezeDef, squeezeInplaceDimDef, tDef, transposeDef, unsafeViewDef, unsqueezeDef, viewDef,
} from '../shapeOps';
import { bmmDef, dotDef, mmDef, mvDef } from '../linalg';
import { binaryCrossEntropyWithLogitsDef, logSigmoidDef } from '../loss';

/** Shape, indexing, joining, linear-algebra, loss and normalisation ops. */
export const shapeOpDefs: OpDef<never>[] = [
  viewDef, reshapeDef, unsafeViewDef, transposeDef, tDef, permuteDef, unsqueezeDef, squeezeDef, squeezeInplaceDimDef, expandDef,
  mmDef, mvDef, dotDef, bmmDef,
  binaryCrossEntropyWithLogitsDef, logSigmoidDef,
] as OpDef<never>[];
