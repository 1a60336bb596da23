// Mocha reporter: the usual spec output, plus the run's pass/fail counts written to the file
// named by GRADSCOPE_SUMMARY_FILE, so scripts/test.mjs can total every test layer.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    runner.on('fail', (test, err) => failures.push({ title: test.fullTitle(), message: String(err && err.message).slice(0, 500) }));
    runner.once('end', () => {
      const file = process.env.GRADSCOPE_SUMMARY_FILE;
      if (!file) return;
      const { passes, failures: failed, pending } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: passes, failed, pending, failures }));
    });
  }
}
module.exports = SummaryReporter;
