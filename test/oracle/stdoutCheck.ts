/**
 * README §6's suggested check of a program's printed output: the text with every number replaced
 * by a placeholder must match exactly, and the numbers must match with the case's tolerance.
 *
 * Before comparing, our output is normalised where JavaScript and Python legitimately differ:
 * - memory addresses (`<AddBackward0 object at 0x7f3a1c000040>`) become `0xADDRESS`, as in the fixture;
 * - JS booleans print `true` / `false` where Python prints `True` / `False`.
 * Number formatting needs no normalisation: numbers are compared by value (`1e-05` = `0.00001`).
 */
import { closeEnough } from './compare';
import type { Tol } from './fixtures';

/** README §6's regex for the numbers in stdout. */
const NUMBER = /(?<![\w.])-?(?:\d+\.\d*(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?|\.\d+|nan(?!\w)|inf(?!\w))/g;
const PLACEHOLDER = '<num>';
/** Addresses are not numbers: hidden from the number regex in both texts. */
const ADDRESS_TOKEN = '<address>';

export interface PrintedNumber {
  value: number;
  /** Whether the text before it names an accuracy (compared with `accuracy_abs`). */
  isAccuracy: boolean;
}

/** Our stdout spelled like the fixture's (addresses, booleans). */
export function normaliseOurOutput(text: string): string {
  return text
    .replace(/\b0x[0-9a-fA-F]+\b/g, '0xADDRESS')
    .replace(/\btrue\b/g, 'True')
    .replace(/\bfalse\b/g, 'False');
}

function parseNumber(token: string): number {
  const unsigned = token.replace(/^-/, '');
  const sign = token.startsWith('-') ? -1 : 1;
  if (unsigned === 'nan') return NaN;
  if (unsigned === 'inf') return sign * Infinity;
  return Number(token);
}

/** The text with numbers replaced by a placeholder, and the numbers in order. */
export function splitNumbers(text: string): { template: string; numbers: PrintedNumber[] } {
  const numbers: PrintedNumber[] = [];
  let last = 0;
  const hidden = text.replace(/0xADDRESS/g, ADDRESS_TOKEN);
  const template = hidden.replace(NUMBER, (token: string, offset: number) => {
    const before = hidden.slice(last, offset);
    numbers.push({ value: parseNumber(token), isAccuracy: /accuracy\W*$/i.test(before) });
    last = offset + token.length;
    return PLACEHOLDER;
  });
  return { template, numbers };
}

/** The first line where two texts differ, for a readable problem. */
function firstDifference(got: string, exp: string): string {
  const g = got.split('\n');
  const e = exp.split('\n');
  for (let i = 0; i < Math.max(g.length, e.length); i++) {
    if (g[i] !== e[i]) {
      return `line ${i + 1}: got ${JSON.stringify(g[i] ?? '<end of output>')}, expected ${JSON.stringify(e[i] ?? '<end of output>')}`;
    }
  }
  return 'texts differ';
}

export interface StdoutExpectation {
  stdout: string;
  stdout_numbers: number[];
  tol: Tol & { accuracy_abs?: number };
}

export function stdoutProblems(ourStdout: string, exp: StdoutExpectation): string[] {
  const got = splitNumbers(normaliseOurOutput(ourStdout));
  const want = splitNumbers(exp.stdout);
  if (want.numbers.length !== exp.stdout_numbers.length) {
    return [`fixture: its stdout has ${want.numbers.length} numbers but stdout_numbers lists ${exp.stdout_numbers.length}`];
  }
  const problems: string[] = [];
  if (got.template !== want.template) {
    problems.push(`stdout text (numbers replaced by ${PLACEHOLDER}) differs at ${firstDifference(got.template, want.template)}`);
  }
  if (got.numbers.length !== want.numbers.length) {
    problems.push(`stdout has ${got.numbers.length} numbers, expected ${want.numbers.length}`);
    return problems;
  }
  const bad: string[] = [];
  exp.stdout_numbers.forEach((e, i) => {
    const g = got.numbers[i].value;
    const ok = want.numbers[i].isAccuracy && exp.tol.accuracy_abs !== undefined
      ? Math.abs(g - e) <= exp.tol.accuracy_abs
      : closeEnough(g, e, exp.tol);
    if (!ok) bad.push(`#${i} got ${g}, expected ${e}`);
  });
  if (bad.length > 0) {
    problems.push(`stdout numbers: ${bad.length} differ beyond rtol ${exp.tol.rtol}, atol ${exp.tol.atol}: ${bad.slice(0, 3).join('; ')}${bad.length > 3 ? ` (and ${bad.length - 3} more)` : ''}`);
  }
  return problems;
}
