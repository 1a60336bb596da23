/**
 * `str(tensor)` exactly as PyTorch prints it: a port of the logic of torch/_tensor_str.py
 * (`_str_intern`, `_tensor_str`, `_tensor_str_with_formatter`, `_vector_str`, `_add_suffixes`)
 * for dense CPU tensors of our dtypes.
 */
import { torchName, type DType } from '../dtype';
import { ElementFormatter } from './elementFormatter';
import { resolvePrintOptions, type PrintOptions } from './printOptions';
import { allValues, rowMajorStrides, shownIndices, summarizedValues } from './summarize';

export { getPrintOptions, setPrintOptions, type PrintOptions, type PrintProfile } from './printOptions';

/** What the printer needs to know about a tensor. */
export interface PrintableTensor {
  dtype: DType;
  shape: readonly number[];
  /** element at row-major logical index i (bool as 0/1, int64 as integral doubles) */
  get(i: number): number;
  /** leaf that requires grad → `requires_grad=True` */
  requiresGrad: boolean;
  /** non-leaf → `grad_fn=<Name>` (takes precedence over requiresGrad) */
  gradFnName: string | null;
}

/** PyTorch's default dtype: its elements never get a `dtype=` suffix. */
const DEFAULT_DTYPE: DType = 'float32';
const PREFIX = 'tensor(';

/** `str(t)` (== `repr(t)`) under the global print options, overridden by `opts`. */
export function formatTensor(t: PrintableTensor, opts?: Partial<PrintOptions>): string {
  const options = resolvePrintOptions(opts);
  const indent = PREFIX.length;
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const suffixes: string[] = [];
  let body: string;
  if (numel === 0) {
    // NumPy-style: the shape is spelled out unless it is (0,); with no element to infer it from,
    // any dtype but the default one is named.
    if (t.shape.length !== 1) suffixes.push('size=' + pyTuple(t.shape));
    if (t.dtype !== DEFAULT_DTYPE) suffixes.push('dtype=' + torchName(t.dtype));
    body = '[]';
  } else {
    if (options.edgeitems === 0) suffixes.push('size=' + pyTuple(t.shape));
    // int64 and bool are recognisable from their elements (`1`, `True`), so they are not named.
    if (t.dtype !== DEFAULT_DTYPE && t.dtype !== 'int64' && t.dtype !== 'bool') {
      suffixes.push('dtype=' + torchName(t.dtype));
    }
    body = tensorBody(t, numel, indent, options);
  }
  if (t.gradFnName !== null) suffixes.push(`grad_fn=<${t.gradFnName}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(PREFIX + body, suffixes, indent, options.linewidth);
}

/** `_tensor_str`: the bracketed elements, formatted with one formatter for the whole tensor. */
function tensorBody(t: PrintableTensor, numel: number, indent: number, options: PrintOptions): string {
  const summarize = numel > options.threshold;
  // Bound once: `t` may be a class instance whose `get` reads `this`.
  const get = (i: number): number => t.get(i);
  const seen = summarize ? summarizedValues(t.shape, get, options.edgeitems) : allValues(numel, get);
  const layout: Layout = {
    shape: t.shape,
    strides: rowMajorStrides(t.shape),
    get,
    formatter: new ElementFormatter(t.dtype, seen, options),
    summarize,
    options,
  };
  if (t.shape.length === 0) return layout.formatter.format(get(0)); // `_scalar_str`
  return nested(layout, 0, 0, indent);
}

interface Layout {
  shape: readonly number[];
  strides: readonly number[];
  get(i: number): number;
  formatter: ElementFormatter;
  summarize: boolean;
  options: PrintOptions;
}

/**
 * `_tensor_str_with_formatter` for the sub-tensor starting at `offset` whose first dimension is
 * `dim`: each level indents one more column, and blocks of higher dimensions are separated by
 * (number of remaining dims - 1) blank lines.
 */
function nested(layout: Layout, dim: number, offset: number, indent: number): string {
  if (dim === layout.shape.length - 1) return vector(layout, offset, indent);
  const { edgeitems } = layout.options;
  const slices = shownIndices(layout.shape[dim], layout.summarize, edgeitems).map((i) =>
    i === null ? '...' : nested(layout, dim + 1, offset + i * layout.strides[dim], indent + 1));
  const remainingDims = layout.shape.length - dim;
  return '[' + slices.join(',' + '\n'.repeat(remainingDims - 1) + ' '.repeat(indent + 1)) + ']';
}

/** `_vector_str`: one row, wrapped to as many elements per line as `linewidth` allows. */
function vector(layout: Layout, offset: number, indent: number): string {
  const { formatter, options } = layout;
  const elementLength = formatter.width + 2; // ", " between elements
  const perLine = Math.max(1, Math.floor((options.linewidth - indent) / elementLength));
  const stride = layout.strides[layout.strides.length - 1];
  // With edgeitems=0 a summarised row is a bare '...'; otherwise the elision takes a column
  // (' ...' after ', ').
  const items = layout.summarize && options.edgeitems === 0
    ? ['...']
    : shownIndices(layout.shape[layout.shape.length - 1], layout.summarize, options.edgeitems)
      .map((i) => (i === null ? ' ...' : formatter.format(layout.get(offset + i * stride))));
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

/**
 * `_add_suffixes`: each suffix goes on the current line after ', ' if it fits in `linewidth`,
 * else on a new line indented under the opening bracket.
 */
function addSuffixes(text: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  const parts = [text];
  // NOTE: PyTorch's own arithmetic (`len - rfind('\n') + 1`) counts two more columns than the
  // line has; it is kept because it decides where the real output wraps.
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** Python's `str(tuple(shape))`: `(0, 3)`, `(5,)`, `()`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
