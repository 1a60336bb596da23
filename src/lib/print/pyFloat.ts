/**
 * Python's float formatting (`'{:.Nf}'`, `'{:.Ne}'`, `repr(float)`) reproduced exactly.
 *
 * NOTE [Exact decimal rounding]
 * Python rounds the *exact* binary value correctly, breaking exact ties half-to-even
 * (`'{:.4f}'.format(0.03125)` is `0.0312`). JavaScript's `toFixed` / `toExponential` are also
 * exact on the binary value (ECMA-262 specifies them on the mathematical value and V8 implements
 * that), but break exact ties away from zero (`0.03125.toFixed(4)` is `0.0313`). So the JS
 * builtins are the fast path, and a BigInt expansion of the exact value is used only when the
 * value sits exactly on a tie (or is outside the builtins' range). A double `M * 2^e` with `M`
 * odd and `e < 0` has exactly `-e` decimal fraction digits, the last one a 5; that makes the tie
 * test a matter of comparing bit counts, no string work.
 */

/** `'{:.Nf}'.format(x)` */
export function formatFixed(x: number, digits: number): string {
  checkDigits(digits);
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  if (digits <= 100 && a < 1e21 && !isFixedTie(a, digits)) return sign + a.toFixed(digits);
  return sign + exactFixed(a, digits);
}

/** `'{:.Ne}'.format(x)`: exponent with a sign and at least two digits (`1.0000e-05`). */
export function formatSci(x: number, digits: number): string {
  checkDigits(digits);
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  if (a === 0) return sign + sciString(digits === 0 ? '0' : '0.' + '0'.repeat(digits), 0);
  if (digits < 100 && !isSciTie(a, digits)) {
    const fast = a.toExponential(digits);
    const at = fast.indexOf('e');
    return sign + sciString(fast.slice(0, at), Number(fast.slice(at + 1)));
  }
  return sign + exactSci(a, digits);
}

/**
 * Python's `repr(float)`: the shortest round-trip digits (the same digits as JS `String(x)`),
 * positional for 1e-4 <= |x| < 1e16, else `1e-05` / `1.5e+16` style; integral values keep `.0`.
 */
export function pyRepr(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument yields the shortest round-trip digits.
  const shortest = Math.abs(x).toExponential();
  const at = shortest.indexOf('e');
  const digits = shortest.slice(0, at).replace('.', '');
  // Python's `decpt`: value = 0.d1d2... * 10^decpt
  const decpt = Number(shortest.slice(at + 1)) + 1;
  if (decpt <= -4 || decpt > 16) {
    const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return sign + sciString(mantissa, decpt - 1);
  }
  if (decpt <= 0) return sign + '0.' + '0'.repeat(-decpt) + digits;
  if (decpt >= digits.length) return sign + digits + '0'.repeat(decpt - digits.length) + '.0';
  return sign + digits.slice(0, decpt) + '.' + digits.slice(decpt);
}

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0) {
    throw new RangeError(`format precision must be a non-negative integer, got ${digits}`);
  }
}

function nonFinite(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  return x > 0 ? 'inf' : '-inf';
}

function sciString(mantissa: string, exponent: number): string {
  const e = Math.abs(exponent);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

// ---------------------------------------------------------------------------------------------
// Tie detection for the fast path. See NOTE [Exact decimal rounding].

const scratch = new DataView(new ArrayBuffer(8));

/** The binary decomposition |x| = odd * 2^exp2 of a finite non-zero double. */
interface Binary { odd: number; exp2: number }

function decompose(a: number): Binary {
  scratch.setFloat64(0, a);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (hi & 0xfffff) * 4294967296 + lo;
  let odd = biased === 0 ? fraction : fraction + 4503599627370496; // implicit bit 2^52
  let exp2 = biased === 0 ? -1074 : biased - 1075;
  // Strip trailing zero bits; `odd` < 2^53 so halving is exact.
  while (odd % 2 === 0) { odd /= 2; exp2 += 1; }
  return { odd, exp2 };
}

/** Does |x| lie exactly halfway between two multiples of 10^-digits? */
function isFixedTie(a: number, digits: number): boolean {
  if (a === 0) return false;
  const { exp2 } = decompose(a);
  // A value with k = -exp2 binary fraction digits has exactly k decimal fraction digits, the last
  // a 5: it is a tie at `digits` decimals exactly when k == digits + 1. Integers never tie.
  return exp2 < 0 && -exp2 === digits + 1;
}

const LOG10_5 = Math.log10(5);

/** Does |x| lie exactly halfway between two decimals of digits+1 significant digits? */
function isSciTie(a: number, digits: number): boolean {
  const { exp2 } = decompose(a);
  if (exp2 < 0) {
    const k = -exp2;
    // The exact expansion odd * 5^k has at least k*log10(5) significant digits; a tie needs
    // exactly digits+2 of them. This rejects almost every value before any string work.
    if (k * LOG10_5 > digits + 2) return false;
    // Short expansion: toExponential(digits + 1) is then exact. The expansion ends at decimal
    // position k (a 5); with decimal exponent E the (digits+2)-th significant digit sits at
    // position digits + 1 - E.
    const exact = a.toExponential(digits + 1);
    const decimalExponent = Number(exact.slice(exact.indexOf('e') + 1));
    return k === digits + 1 - decimalExponent;
  }
  // Integral value: a tie iff its significant digits (trailing zeros stripped) are exactly
  // digits+2 long and end in 5. Beyond 2^53 `%` is not exact: leave it to the exact path.
  if (a >= 9007199254740992) return true;
  let n = a;
  while (n % 10 === 0) n /= 10;
  return n % 10 === 5 && n >= 10 ** (digits + 1) && n < 10 ** (digits + 2);
}

// ---------------------------------------------------------------------------------------------
// Exact path: the full decimal expansion as a BigInt, rounded half-to-even.

/** |x| = digits * 10^-fractionDigits exactly. */
interface ExactDecimal { digits: bigint; fractionDigits: number }

function exactDecimal(a: number): ExactDecimal {
  if (a === 0) return { digits: 0n, fractionDigits: 0 };
  const { odd, exp2 } = decompose(a);
  if (exp2 >= 0) return { digits: BigInt(odd) << BigInt(exp2), fractionDigits: 0 };
  // odd / 2^k == odd * 5^k / 10^k
  const k = -exp2;
  return { digits: BigInt(odd) * 5n ** BigInt(k), fractionDigits: k };
}

/** round(n / 10^drop), half-to-even. */
function roundDropDigits(n: bigint, drop: number): bigint {
  if (drop <= 0) return n * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  const q = n / divisor;
  const twiceRemainder = (n % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function exactFixed(a: number, digits: number): string {
  const { digits: n, fractionDigits } = exactDecimal(a);
  const scaled = roundDropDigits(n, fractionDigits - digits).toString();
  if (digits === 0) return scaled;
  const padded = scaled.padStart(digits + 1, '0');
  return padded.slice(0, -digits) + '.' + padded.slice(-digits);
}

function exactSci(a: number, digits: number): string {
  const { digits: n, fractionDigits } = exactDecimal(a);
  const length = n.toString().length;
  let exponent = length - 1 - fractionDigits;
  let kept = roundDropDigits(n, length - (digits + 1)).toString();
  if (kept.length > digits + 1) { // rounding carried into a new leading digit (9.99.. -> 10.0..)
    kept = kept.slice(0, digits + 1);
    exponent += 1;
  }
  const mantissa = digits === 0 ? kept : kept[0] + '.' + kept.slice(1);
  return sciString(mantissa, exponent);
}

/** The exact-path implementations, exposed so tests can cross-check the fast path. */
export const exactForTesting = {
  formatFixed(x: number, digits: number): string {
    if (!Number.isFinite(x)) return nonFinite(x);
    return (x < 0 || Object.is(x, -0) ? '-' : '') + exactFixed(Math.abs(x), digits);
  },
  formatSci(x: number, digits: number): string {
    if (!Number.isFinite(x)) return nonFinite(x);
    const sign = x < 0 || Object.is(x, -0) ? '-' : '';
    if (x === 0) return formatSci(x, digits);
    return sign + exactSci(Math.abs(x), digits);
  },
};
