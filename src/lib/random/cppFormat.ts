/**
 * Numbers as PyTorch's C++ error messages print them (`std::ostream << double` with the
 * default format: like printf "%g", 6 significant digits): 2.5 -> "2.5", 1e-7 -> "1e-07",
 * 1234567 -> "1.23457e+06".
 * NOTE: an exact decimal tie at the 6th digit (123456.5) rounds up here (JavaScript's
 * toFixed/toExponential) where glibc's printf rounds half to even ("123456").
 */
const PRECISION = 6;

export function formatCppDouble(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // The exponent after rounding to PRECISION significant digits decides the style.
  const [mantissa, exponentText] = x.toExponential(PRECISION - 1).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= PRECISION) {
    const sign = exponent < 0 ? '-' : '+';
    return `${stripZeros(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return stripZeros(x.toFixed(PRECISION - 1 - exponent));
}

/** "%g" drops trailing zeros of the fraction, and the point if nothing is left. */
function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
