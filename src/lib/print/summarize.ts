/**
 * Which elements a (possibly summarised) print shows. Shared by the formatter pass (PyTorch's
 * `get_summarized_data`) and the layout pass (`_tensor_str_with_formatter`), so both agree on
 * the edge items and neither touches the elided middle of a large tensor.
 */

/** Row-major strides of a contiguous tensor of `shape`. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

/**
 * The indices along a dimension of `size` that are printed: all of them, or the first and last
 * `edgeitems` with `null` marking the elided middle (`...`).
 */
export function shownIndices(size: number, summarize: boolean, edgeitems: number): (number | null)[] {
  if (!summarize || size <= 2 * edgeitems) return Array.from({ length: size }, (_, i) => i);
  const shown: (number | null)[] = [];
  for (let i = 0; i < edgeitems; i++) shown.push(i);
  shown.push(null);
  for (let i = size - edgeitems; i < size; i++) shown.push(i);
  return shown;
}

/**
 * `get_summarized_data`: the values the formatter sees, i.e. the printed edge items only, so a
 * huge value in the elided middle does not widen the columns.
 * NOTE: PyTorch's 1-D branch with edgeitems=0 slices `self[-0:]` (the whole row); the row then
 * prints as `[...]`, so the formatter's choice is invisible and we skip the values instead.
 */
export function summarizedValues(
  shape: readonly number[], get: (i: number) => number, edgeitems: number,
): Float64Array {
  if (shape.length === 0) return Float64Array.of(get(0));
  const strides = rowMajorStrides(shape);
  const out: number[] = [];
  const visit = (dim: number, offset: number): void => {
    for (const i of shownIndices(shape[dim], true, edgeitems)) {
      if (i === null) continue;
      const at = offset + i * strides[dim];
      if (dim === shape.length - 1) out.push(get(at));
      else visit(dim + 1, at);
    }
  };
  if (edgeitems > 0) visit(0, 0);
  return Float64Array.from(out);
}

/** Every value, for a print that is not summarised. */
export function allValues(numel: number, get: (i: number) => number): Float64Array {
  const out = new Float64Array(numel);
  for (let i = 0; i < numel; i++) out[i] = get(i);
  return out;
}
