// `npm run parity`: runs the oracle tests (test/oracle/*.test.ts, one mocha process per fixture
// family) and prints, per family, `family: passed/total` and every failing case id with the first
// line of its failure; then which missing library APIs the failures name, most-needed first.
// Exit code 1 when any case fails (or a family cannot run at all).
//
//   node scripts/parity.mjs                  all families
//   node scripts/parity.mjs ops print        only these
//   GRADSCOPE_ORACLE_DIR=/path/to/fixtures node scripts/parity.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FAMILIES = ['ops', 'autograd', 'rng', 'print', 'programs'];
const requested = process.argv.slice(2);
const unknown = requested.filter((f) => !FAMILIES.includes(f));
if (unknown.length > 0) {
  console.error(`unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; known: ${FAMILIES.join(', ')}`);
  process.exit(2);
}
const families = requested.length > 0 ? requested : FAMILIES;
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
/** A failure's reason is cut to this length (the full message is in `npx mocha <file>`). */
const MAX_REASON = 400;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-parity-'));

/** First line of a failure message (the tests put a one-line summary first). */
function reasonOf(err) {
  const message = (err && (err.message ?? String(err))) || 'failed';
  const line = message.split('\n')[0].replace(/^AssertionError \[ERR_ASSERTION\]: /, '');
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON)}…` : line;
}

/**
 * One family in its own mocha process, so a family that cannot even load (e.g. the library fails
 * to import) does not hide the others' results. `--no-config`: the repository's .mocharc adds
 * every test file to the run.
 */
function runFamily(family) {
  const output = path.join(tmp, `${family}.json`);
  const run = spawnSync(process.execPath, [
    mocha, '--no-config', '--require', 'tsx/cjs', '--extension', 'ts', '--timeout', '20000',
    '--reporter', 'json', '--reporter-option', `output=${output}`,
    path.join('test', 'oracle', `${family}.test.ts`),
  ], { cwd: root, encoding: 'utf8', env: process.env, maxBuffer: 256 * 1024 * 1024 });
  if (!fs.existsSync(output)) {
    const detail = `${run.stderr}\n${run.stdout}`.trim().split('\n').slice(0, 3).join(' | ');
    return { family, error: `could not run (exit ${run.status ?? run.signal}): ${detail || run.error?.message || 'no output'}` };
  }
  const report = JSON.parse(fs.readFileSync(output, 'utf8'));
  return {
    family,
    passed: report.passes.length,
    failures: report.failures.map((t) => ({ id: t.title, reason: reasonOf(t.err) })),
  };
}

let anyFailed = false;
const missing = new Map();
const totals = { passed: 0, total: 0 };
for (const family of families) {
  const result = runFamily(family);
  if (result.error) {
    anyFailed = true;
    console.log(`${family}: ${result.error}`);
    continue;
  }
  const total = result.passed + result.failures.length;
  totals.passed += result.passed;
  totals.total += total;
  console.log(`${family}: ${result.passed}/${total}`);
  for (const { id, reason } of result.failures) {
    anyFailed = true;
    console.log(`  FAIL ${id} — ${reason}`);
    for (const name of new Set([...reason.matchAll(/missing API: ([\w.$]+)/g)].map((m) => m[1]))) {
      missing.set(name, (missing.get(name) ?? 0) + 1);
    }
  }
}
fs.rmSync(tmp, { recursive: true, force: true });

if (missing.size > 0) {
  const ranked = [...missing.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  console.log(`missing APIs (cases whose first problem names them): ${ranked.map(([api, n]) => `${api} ${n}`).join(', ')}`);
}
console.log(`parity: ${totals.passed}/${totals.total} cases pass`);
process.exit(anyFailed ? 1 : 0);
