/**
 * One mocha `describe` per fixture family: one `it` per case id, in fixture order, no skips.
 * A case passes when its runner reports no problems; the failure message starts with a one-line
 * summary (scripts/parity.mjs shows that line). After the last case a summary line
 * `<family>: N passed, N failed` is printed.
 */
import assert from 'node:assert/strict';
import { describeProblems } from './compare';
import { unexpectedErrorProblem } from './expectations';
import type { Family } from './fixtures';

export type CaseRunner<T> = (testCase: T) => string[] | Promise<string[]>;

export function describeFamily<T extends { id: string }>(family: Family, cases: readonly T[],
  runCase: CaseRunner<T>, timeoutMs?: number): void {
  describe(family, function () {
    if (timeoutMs !== undefined) this.timeout(timeoutMs);
    let passed = 0;
    let failed = 0;
    afterEach(function () {
      if (this.currentTest?.state === 'passed') passed++;
      else failed++;
    });
    after(() => {
      console.log(`${family}: ${passed} passed, ${failed} failed`);
    });
    for (const testCase of cases) {
      it(testCase.id, async () => {
        let problems: string[];
        try {
          problems = await runCase(testCase);
        } catch (error) {
          // Anything the runner did not turn into a problem itself (e.g. a missing factory while
          // building inputs) still fails only this case, with the same one-line format.
          problems = [unexpectedErrorProblem('case', error)];
        }
        if (problems.length > 0) assert.fail(describeProblems(problems));
      });
    }
  });
}
