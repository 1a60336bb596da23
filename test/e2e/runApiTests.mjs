#!/usr/bin/env node
// API tests of the extension inside code-server's real extension host, through the shared
// recipe's run-api-tests.mjs (the extension loaded unpacked from this repository; build first):
//   1. test/e2e/api/index.js       in a trusted workspace (everything but restricted mode)
//   2. test/e2e/api/restricted.js  in an untrusted workspace (Workspace Trust on: see
//                                  restrictedCodeServer.mjs), where runs must be refused
// Prints the totals as `N passed, N failed` (scripts/test.mjs reads that line).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeWorkspace, recipeDir, repoRoot } from './sharedRecipe.mjs';

const runner = path.join(recipeDir, 'run-api-tests.mjs');

function runSuite(label, testsModule, env = {}) {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-api-'));
  const ws = makeWorkspace(parent);
  console.log(`\n# ${label}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, repoRoot, path.join(repoRoot, testsModule), ws], {
      cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => {
      fs.rmSync(parent, { recursive: true, force: true });
      const m = [...out.matchAll(/^tests: (\d+) ok, (\d+) not ok$/gm)].pop();
      // No summary line: the suite never ran (startup failure) — count it as one failure.
      resolve(m ? { passed: Number(m[1]), failed: Number(m[2]) || (code === 0 ? 0 : 1) } : { passed: 0, failed: 1 });
    });
  });
}

const realBin = process.env.CODE_SERVER_BIN || '/tmp/code-server-4.96.4/node_modules/.bin/code-server';
const trusted = await runSuite('trusted workspace', 'test/e2e/api/index.js');
const restricted = await runSuite('restricted mode', 'test/e2e/api/restricted.js', {
  CODE_SERVER_BIN: path.join(repoRoot, 'test/e2e/restrictedCodeServer.mjs'),
  GRADSCOPE_REAL_CODE_SERVER_BIN: realBin,
});
const passed = trusted.passed + restricted.passed;
const failed = trusted.failed + restricted.failed;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
