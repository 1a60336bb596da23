/**
 * autograd.json (README §4): every step script, with every step's `expect` checked — results,
 * flags, grads, hooks' received gradients, exact error and warning texts.
 */
import { tensorProblems } from './compare';
import {
  errorProblems, optionalTensorProblems, resultProblems, tensorValueProblems, unexpectedErrorProblem, warningProblems,
  describeValue,
} from './expectations';
import { describeFamily } from './family';
import { loadFamily, type AutogradCase, type StepExpect, type Tol } from './fixtures';
import { describeStep, Interpreter, type StepOutcome } from './interpreter';

/** README §4 "Tolerance". */
const TOL: Tol = { rtol: 1e-5, atol: 1e-6 };

function callProblems(label: string, expect: StepExpect, outcome: Extract<StepOutcome, { kind: 'call' }>): string[] {
  const problems: string[] = [];
  if (expect.error !== undefined) {
    if (outcome.error === undefined) {
      problems.push(`${label}: returned ${describeValue(outcome.value)}, expected ${expect.error.type}(${JSON.stringify(expect.error.message)})`);
    } else {
      problems.push(...errorProblems(label, outcome.error, expect.error));
    }
  } else if (outcome.error !== undefined) {
    problems.push(unexpectedErrorProblem(label, outcome.error));
  } else {
    problems.push(...resultProblems(label, outcome.value, expect.result ?? null, TOL));
  }
  problems.push(...warningProblems(label, outcome.warnings, expect.warnings));
  return problems;
}

function checkProblems(label: string, expect: StepExpect, outcome: Extract<StepOutcome, { kind: 'check' }>): string[] {
  if (outcome.target === undefined && outcome.gradError !== undefined) return [unexpectedErrorProblem(label, outcome.gradError)];
  const { tensor, requires_grad, is_leaf, grad_fn } = expect;
  const problems = tensorValueProblems(label, outcome.target, { ...tensor!, requires_grad, is_leaf, grad_fn }, TOL);
  if (outcome.gradError !== undefined) problems.push(unexpectedErrorProblem(`${label}.grad`, outcome.gradError));
  else problems.push(...optionalTensorProblems(`${label}.grad`, outcome.grad, expect.grad ?? null, TOL));
  problems.push(...warningProblems(`${label}.grad`, outcome.gradWarnings, expect.grad_warnings));
  return problems;
}

function hookProblems(label: string, expect: StepExpect, outcome: Extract<StepOutcome, { kind: 'check_hook' }>): string[] {
  const expected = expect.calls ?? [];
  if (outcome.calls === undefined) return [`${label}: no such hook was registered`];
  if (outcome.calls.length !== expected.length) {
    return [`${label}: hook ran ${outcome.calls.length} times, expected ${expected.length}`];
  }
  return expected.flatMap((exp, i) => tensorProblems(`${label} call ${i}`, outcome.calls![i], exp, TOL));
}

function runScript(c: AutogradCase): string[] {
  const interp = new Interpreter();
  const problems: string[] = [];
  let index = 0;
  interp.run(c.steps, (step, outcome) => {
    const label = describeStep(index++, step);
    const expect = step.expect;
    if (expect === undefined) {
      problems.push(`${label}: the fixture records no expectation`);
      return;
    }
    switch (outcome.kind) {
      case 'call': problems.push(...callProblems(label, expect, outcome)); break;
      case 'check': problems.push(...checkProblems(label, expect, outcome)); break;
      case 'check_hook': problems.push(...hookProblems(label, expect, outcome)); break;
    }
  });
  return problems;
}

describeFamily<AutogradCase>('autograd', loadFamily<AutogradCase>('autograd'), runScript);
