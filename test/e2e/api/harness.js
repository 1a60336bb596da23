// A minimal test runner for the API tests that run INSIDE the real extension host (see
// runApiTests.mjs): `test(name, fn)` registers, `run()` runs them in order and prints
// `ok - …` / `not ok - …` lines and `tests: N ok, N not ok` (read by runApiTests.mjs, which
// prints the total of its suites as the `N passed, N failed` line scripts/test.mjs reads).
// GRADSCOPE_API_ONLY=<regex> runs only the tests whose name matches (the extension host
// inherits the environment of runApiTests.mjs).
'use strict';

function createSuite() {
  const tests = [];
  return {
    test: (name, fn) => tests.push({ name, fn }),
    async run() {
      let failed = 0;
      const only = process.env.GRADSCOPE_API_ONLY ? new RegExp(process.env.GRADSCOPE_API_ONLY) : null;
      const selected = only ? tests.filter((t) => only.test(t.name)) : tests;
      for (const t of selected) {
        const started = Date.now();
        try {
          await t.fn();
          console.log(`ok - ${t.name} (${Date.now() - started} ms)`);
        } catch (e) {
          failed++;
          console.log(`not ok - ${t.name}\n  ${String((e && e.stack) || e).split('\n').join('\n  ')}`);
        }
      }
      console.log(`tests: ${selected.length - failed} ok, ${failed} not ok`);
      if (failed) throw new Error(`${failed} test(s) failed`);
    },
  };
}

/** Polls `probe` until it returns a truthy value (returned) or `timeoutMs` passes (throws `what`). */
async function waitFor(probe, what, timeoutMs = 20_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

module.exports = { createSuite, waitFor };
