/** `torch.*` functions of the shape / indexing / joining / linear-algebra ops (re-exported by src/lib/index.ts). */
export {
  view, reshape, transpose, transpose as swapaxes, transpose as swapdims, t, permute, movedim, unsqueeze, squeeze,
  expand, flatten, unflatten, alias, type FlattenOptions,
} from '../ops/shapeOps';
export { select, narrow } from '../ops/indexing';
export { indexPut, indexSelect, nonzero } from '../ops/advancedIndex';
export { slice, Slice, type IndexKey, type IndexPutOptions } from '../ops/indexKeys';
export { cat, cat as concat, cat as concatenate, stack, hstack, vstack, atLeast2d as atleast2d, type DimOption } from '../ops/join';
export { split, chunk, unbind } from '../ops/split';
export { gather, scatter, scatterAdd, maskedFill } from '../ops/gatherScatter';
export { mm, mv, dot, bmm, matmul, outer } from '../ops/linalg';
export { repeat, flip, roll, tril, triu, diagonal, diagEmbed, diag, trace } from '../ops/rearrange';
export { einsum } from '../ops/einsum';
