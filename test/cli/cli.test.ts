import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeSnapshotJson } from '../../src/protocol/snapshotJson';
import { build, locate, oracleProgram, root, scripts, tutorialScript } from '../runner/support';

const cli = path.join(root, 'dist/cli.js');

function gradscope(args: string[], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** PyTorch prints `<AddBackward0 object at 0x7f...>`; the oracle stores the address as 0xADDRESS. */
function normalizeAddresses(text: string): string {
  return text.replace(/ object at 0x[0-9a-fA-F]+>/g, ' object at 0xADDRESS>');
}

describe('gradscope CLI', function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => {
    build('worker,cli,webview,layout');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints what Python prints for the autograd tutorial', () => {
    const program = oracleProgram('tutorial/autograd_printed_output');
    const r = gradscope(['run', tutorialScript]);
    assert.equal(r.code, 0, r.stderr);
    // The script prints JavaScript booleans with console.log (`true`); Python prints `True`.
    const expected = program.stdout.replace(/^True$/gm, 'true').replace(/^False$/gm, 'false');
    assert.equal(normalizeAddresses(r.stdout), expected, r.stdout);
    assert.equal(r.stderr, '');
  });

  it('writes the snapshot as JSON and the graph as a standalone HTML page', () => {
    const json = path.join(tmp, 'out/graph.json');
    const html = path.join(tmp, 'graph.html');
    const r = gradscope(['run', tutorialScript, '--json', json, '--html', html, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', '--quiet: no script output');
    const decoded = decodeSnapshotJson(fs.readFileSync(json, 'utf8'));
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
    assert.ok(decoded.value.nodes.some((n) => n.label === 'MmBackward0'));
    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/i);
    assert.ok(page.includes('MmBackward0'), 'the page embeds the snapshot');
  });

  it('keeps hostile names out of the HTML page\'s markup', () => {
    const html = path.join(tmp, 'evil.html');
    const json = path.join(tmp, 'evil.json');
    const r = gradscope(['run', path.join(scripts, 'hostile/htmlInNames.ts'), '--html', html, '--json', json]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('<img src=x onerror=alert(1)>'), 'the terminal shows the text as printed');
    const page = fs.readFileSync(html, 'utf8');
    assert.ok(!page.includes('<img src=x onerror=alert(1)>'), 'the raw tag never reaches the page');
    const decoded = decodeSnapshotJson(fs.readFileSync(json, 'utf8'));
    assert.ok(decoded.ok && decoded.value.nodes.some((n) => n.varName === '<img src=x onerror=alert(1)>'));
  });

  it('fails with the message, file:line:col and the line itself', () => {
    const file = path.join(scripts, 'hostile/throwInBackward.ts');
    const at = locate(file, 'backward(torch.ones(2))');
    const r = gradscope(['run', file], scripts);
    assert.equal(r.code, 1);
    const rel = path.relative(scripts, file);
    assert.ok(r.stderr.startsWith(`${rel}:${at.line}:${at.column}: RuntimeError: Mismatch in shape`), r.stderr);
    assert.ok(r.stderr.includes('pred.backward(torch.ones(2));\n'), r.stderr);
    assert.match(r.stderr, /\n\s+\| \s*\^+\n/);
  });

  it('reports syntax errors like a compiler, exits with distinct codes', () => {
    const syntax = gradscope(['run', path.join(scripts, 'hostile/syntaxError.ts')], scripts);
    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, /^hostile\/syntaxError\.ts:4:\d+: error: Expected "\)" but found ";"/);
    const timeout = gradscope(['run', path.join(scripts, 'hostile/infiniteLoop.ts'), '--timeout-ms', '2000']);
    assert.equal(timeout.code, 3);
    assert.match(timeout.stderr, /did not finish within 2000 ms/);
    const oom = gradscope(['run', path.join(scripts, 'hostile/unboundedAllocation.ts'), '--max-memory-mb', '200']);
    assert.equal(oom.code, 4);
    assert.match(oom.stderr, /out of memory \(limit 200 MB\)/);
  });

  it('routes warnings and errors to stderr', () => {
    const r = gradscope(['run', path.join(scripts, 'hostile/htmlInNames.ts')]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '<img src=x onerror=alert(1)> tensor(4., grad_fn=<SumBackward0>)\n');
    assert.equal(r.stderr, '<img src=x onerror=alert(1)>\n');
  });

  it('has --help, --version and usage errors', () => {
    const help = gradscope(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: gradscope run <file\.ts>/);
    const version = gradscope(['--version']);
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
    for (const args of [[], ['walk'], ['run'], ['run', 'a.ts', '--timeout-ms', 'soon'], ['run', 'a.ts', '--nope']]) {
      const r = gradscope(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^gradscope: .+\n\nUsage:/);
    }
    const missing = gradscope(['run', path.join(tmp, 'missing.ts')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /File not found/);
  });
});
