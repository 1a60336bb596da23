/**
 * print.json (README §5): the steps build `target`; `String(target)` must equal PyTorch's
 * `str(target)` exactly, and for `grad_fn` cases `String(target.gradFn)` must be
 * `<prefix><address><suffix>`.
 */
import { exactProblems } from './compare';
import { describeValue, unexpectedErrorProblem } from './expectations';
import { describeFamily } from './family';
import { loadFamily, type PrintCase } from './fixtures';
import { describeStep, Interpreter, isTensor } from './interpreter';

/** How the fixture's `what` is computed here; the only one README §5 defines. */
const WHAT: Record<string, (target: unknown) => unknown> = {
  'str(target.grad_fn)': (target) => (isTensor(target) ? target.gradFn : undefined),
};

function runCase(c: PrintCase): string[] {
  const interp = new Interpreter();
  const problems: string[] = [];
  let index = 0;
  interp.run(c.steps, (step, outcome) => {
    if (outcome.kind === 'call' && outcome.error !== undefined) {
      problems.push(unexpectedErrorProblem(describeStep(index, step), outcome.error));
    }
    index++;
  });
  if (problems.length > 0) return problems;
  const target = interp.lookup(c.target);
  if ('str' in c) {
    if (!isTensor(target)) return [`target: got ${describeValue(target)}, expected a tensor`];
    return exactProblems('str', String(target), c.str);
  }
  const what = WHAT[c.what];
  if (what === undefined) return [`unknown "what": ${c.what}`];
  const value = what(target);
  if (value === null || value === undefined) return [`${c.what}: got ${String(value)}`];
  const text = String(value);
  const ok = text.length > c.str_prefix.length + c.str_suffix.length
    && text.startsWith(c.str_prefix) && text.endsWith(c.str_suffix);
  return ok ? [] : [`${c.what}: got ${JSON.stringify(text)}, expected ${JSON.stringify(`${c.str_prefix}<address>${c.str_suffix}`)}`];
}

describeFamily<PrintCase>('print', loadFamily<PrintCase>('print'), runCase);
