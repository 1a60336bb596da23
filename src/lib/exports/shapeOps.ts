/** `torch.*` functions of the shape / indexing / joining / linear-algebra ops. */
export { view, reshape, transpose, t, permute, unsqueeze, squeeze, expand, flatten } from '../ops/shapeOps';
export { mm, mv, dot, bmm, matmul } from '../ops/linalg';
