import type { OpDef } from '../registry';
import {
  aliasDef, expandDef, permuteDef, squeezeDef, squeezeInplaceDimDef, tDef, transposeDef, unsafeViewDef, unsqueezeDef, viewDef,
} from '../shapeOps';
import { selectBackwardDef, selectDef, sliceBackwardDef, sliceDef } from '../indexing';
import { indexDef, indexPutDef, indexSelectDef } from '../advancedIndex';
import { gatherDef, maskedFillDef, maskedFillTensorDef, scatterAddDef, scatterDef, scatterValueDef } from '../gatherScatter';
import { catDef, stackDef } from '../join';
import { splitDef, splitWithSizesDef, unbindDef } from '../split';
import { bmmDef, dotDef, mmDef, mvDef } from '../linalg';
import { binaryCrossEntropyDef, binaryCrossEntropyWithLogitsDef, logSigmoidDef, mseLossDef } from '../loss';
import { nllLossDef } from '../classLoss';
import { layerNormDef } from '../normalization';
import { diagEmbedDef, diagonalBackwardDef, diagonalDef, flipDef, repeatDef, rollDef, trilDef } from '../rearrange';

/** Shape, indexing, joining, linear-algebra, loss and normalisation ops. */
export const shapeOpDefs: OpDef<never>[] = [
  // views and reshaping
  viewDef, unsafeViewDef, aliasDef, transposeDef, tDef, permuteDef, unsqueezeDef, squeezeDef, squeezeInplaceDimDef, expandDef,
  // indexing
  selectDef, selectBackwardDef, sliceDef, sliceBackwardDef, indexDef, indexPutDef, indexSelectDef,
  gatherDef, scatterDef, scatterValueDef, scatterAddDef, maskedFillDef, maskedFillTensorDef,
  // rearranging copies and diagonals
  repeatDef, flipDef, rollDef, trilDef, diagonalDef, diagonalBackwardDef, diagEmbedDef,
  // joining and splitting
  catDef, stackDef, splitDef, splitWithSizesDef, unbindDef,
  // linear algebra
  mmDef, mvDef, dotDef, bmmDef,
  // losses and normalisation
  mseLossDef, binaryCrossEntropyDef, binaryCrossEntropyWithLogitsDef, logSigmoidDef, nllLossDef, layerNormDef,
] as OpDef<never>[];
