import { isFloating, type DType } from '../dtype';
import { formatFixed, formatSci } from './pyFloat';
import type { PrintOptions } from './printOptions';

/**
 * Port of PyTorch's `_Formatter` (torch/_tensor_str.py): one pass over the values that will be
 * printed picks the notation for the whole tensor — integer mode (`1.`), fixed (`1.5000`) or
 * scientific (`1.5000e+00`) — and the column width every element is right-aligned to.
 */
export class ElementFormatter {
  private readonly floating: boolean;
  /** `str(value)` for bool / int64 elements */
  private readonly plainString: (value: number) => string;
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;
  private readonly precision: number;

  /** `values`: the elements the formatter may see (edge items only when summarised). */
  constructor(dtype: DType, values: ArrayLike<number>, options: Pick<PrintOptions, 'precision' | 'sciMode'>) {
    this.floating = isFloating(dtype);
    this.plainString = dtype === 'bool' ? boolString : integerString;
    this.precision = options.precision;
    if (!this.floating) {
      for (let i = 0; i < values.length; i++) {
        this.maxWidth = Math.max(this.maxWidth, this.plainString(values[i]).length);
      }
      return;
    }

    // Only non-zero finite values decide the mode: zeros, nan and inf fit in any of them.
    const nonzeroFinite: number[] = [];
    let minAbs = Infinity;
    let maxAbs = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === 0 || !Number.isFinite(v)) continue;
      nonzeroFinite.push(v);
      const a = Math.abs(v);
      if (a < minAbs) minAbs = a;
      if (a > maxAbs) maxAbs = a;
      if (this.intMode && v !== Math.ceil(v)) this.intMode = false;
    }
    if (nonzeroFinite.length === 0) return;

    this.sciMode = options.sciMode ?? (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);

    for (const v of nonzeroFinite) {
      let width: number;
      if (this.sciMode) width = formatSci(v, this.precision).length;
      // Integer mode appends '.' to mark the tensor as floating point, hence the + 1.
      else if (this.intMode) width = formatFixed(v, 0).length + 1;
      else width = formatFixed(v, this.precision).length;
      if (width > this.maxWidth) this.maxWidth = width;
    }
  }

  /** The column width; `_vector_str` fits `linewidth / (width + 2)` elements per line. */
  get width(): number {
    return this.maxWidth;
  }

  /** One element, right-aligned to the column width (never truncated: `-inf` may overflow it). */
  format(value: number): string {
    let text: string;
    if (!this.floating) text = this.plainString(value);
    else if (this.sciMode) text = formatSci(value, this.precision);
    else if (this.intMode) text = formatFixed(value, 0) + (Number.isFinite(value) ? '.' : '');
    else text = formatFixed(value, this.precision);
    return text.length < this.maxWidth ? ' '.repeat(this.maxWidth - text.length) + text : text;
  }
}

function boolString(value: number): string {
  return value !== 0 ? 'True' : 'False';
}

/** Python's `str(int)`; int64 values are integral doubles (exact within ±2^53). */
function integerString(value: number): string {
  // NOTE: String(-0) is '0' as Python prints an int zero; above 1e21 String() would switch to
  // exponent notation, BigInt never does.
  return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
}
