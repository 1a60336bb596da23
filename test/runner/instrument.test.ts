import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bundleScript } from '../../src/runner/bundle';
import { instrumentBundle, type InstrumentResult } from '../../src/runner/instrument/instrument';
import { executeScript, type ScriptHelpers } from '../../src/runner/worker/executeScript';
import type { SourceLocation } from '../../src/protocol/snapshot';

const fixtures = path.resolve(__dirname, '../fixtures/scripts/instrument');

async function prepare(name: string): Promise<{ file: string; code: string; instrumented: InstrumentResult }> {
  const file = path.join(fixtures, name);
  const bundle = await bundleScript(file);
  if (!bundle.ok) throw new Error(bundle.error.message);
  return { file, code: bundle.code, instrumented: instrumentBundle(bundle.code, bundle.map, path.dirname(file)) };
}

interface Recorder extends ScriptHelpers {
  calls: number[];
  binds: { id: number; value: unknown }[];
  ticks: number[];
}

function recorder(): Recorder {
  const r: Recorder = {
    calls: [], binds: [], ticks: [],
    at: (site, value) => { r.calls.push(site); return value; },
    bind: (value, id) => { r.binds.push({ id, value }); return value; },
    tick: (site) => { r.ticks.push(site); },
  };
  return r;
}

const passThrough: ScriptHelpers = { at: (_s, v) => v, bind: (v) => v, tick: () => {} };

/** The original text a location spans. */
function textAt(loc: SourceLocation): string {
  const lines = fs.readFileSync(loc.file, 'utf8').split('\n');
  if (loc.endLine === undefined || loc.endColumn === undefined) return lines[loc.line - 1].slice(loc.column - 1);
  if (loc.endLine === loc.line) return lines[loc.line - 1].slice(loc.column - 1, loc.endColumn - 1);
  return [lines[loc.line - 1].slice(loc.column - 1), ...lines.slice(loc.line, loc.endLine - 1), lines[loc.endLine - 1].slice(0, loc.endColumn - 1)].join('\n');
}

describe('instrumentation', () => {
  it('keeps the behaviour of every construct', async () => {
    const { file, code, instrumented } = await prepare('semantics.ts');
    const plain = executeScript(code, file, {}, passThrough) as { run(): string[]; runAsync(): Promise<string[]> };
    const rec = recorder();
    const traced = executeScript(instrumented.code, file, {}, rec) as typeof plain;
    const expected = plain.run();
    assert.deepEqual(traced.run(), expected);
    assert.deepEqual(await traced.runAsync(), await plain.runAsync());
    assert.ok(rec.calls.length > 20, 'calls were instrumented');
    assert.ok(rec.binds.length > 10, 'bindings were instrumented');
    assert.ok(rec.ticks.length > 3, 'loops were instrumented');
    // The fixture exercises these; a regression that breaks them shows up here first.
    assert.ok(expected.includes('child(base:child)') && expected.includes('gen got 10'));
  });

  it('records each call at its callee and the closing parenthesis', async () => {
    const { file, instrumented } = await prepare('sites.ts');
    const rec = recorder();
    executeScript(instrumented.code, file, {}, rec);
    const executed = [...new Set(rec.calls)].map((id) => instrumented.sites[id]);
    assert.ok(executed.length >= 8);
    for (const loc of executed) {
      assert.equal(loc.file, file);
      const text = textAt(loc);
      // A call spans `name(...)`, a getter just its name.
      assert.match(text, /^[A-Za-z_$][\w$]*(\([\s\S]*\))?$/, `site ${JSON.stringify(loc)} spans ${JSON.stringify(text)}`);
    }
    const spans = executed.map(textAt);
    for (const expected of ['matmul(x, w)', 'add(b)', 'mul(2)', 'sum()', 'T', 'add(1)', 'tensor(2)']) {
      assert.ok(spans.includes(expected), `no site spans ${expected}: ${JSON.stringify(spans)}`);
    }
    // Multi-line chains point at the line of each link.
    const source = fs.readFileSync(file, 'utf8').split('\n');
    const mul = executed.find((l) => textAt(l) === 'mul(2)')!;
    assert.equal(source[mul.line - 1].trim(), '.mul(2)');
  });

  it('sets the register after the arguments, so nested calls report the outer call last', async () => {
    const { file, instrumented } = await prepare('sites.ts');
    const rec = recorder();
    executeScript(instrumented.code, file, {}, rec);
    const names = rec.calls.map((id) => textAt(instrumented.sites[id]).replace(/\(.*$/s, ''));
    // `torch.matmul(x, w).add(b)`: matmul runs (and reports) before add.
    const m = names.indexOf('matmul');
    assert.ok(m >= 0 && names[m + 1] !== undefined);
    assert.equal(names.slice(m).find((n) => n === 'add'), 'add');
    assert.ok(names.indexOf('add', m) > m);
  });

  it('names bindings as written, at the identifier, even when esbuild renames them', async () => {
    const { file, instrumented } = await prepare('semantics.ts');
    const helper = path.join(fixtures, 'helper.ts');
    for (const b of instrumented.bindings) {
      const simple = /^[A-Za-z_$][\w$]*$/.test(b.name);
      const text = textAt(b.location);
      if (simple) assert.equal(text, b.name, `binding ${b.name} at ${JSON.stringify(b.location)}`);
      else assert.ok(b.name.endsWith(`.${text}`), `member binding ${b.name} at ${text}`);
    }
    const ws = instrumented.bindings.filter((b) => b.name === 'w');
    assert.deepEqual(ws.map((b) => b.location.file).sort(), [helper, file].sort(), 'both `w`s, under their own name');
    const names = new Set(instrumented.bindings.map((b) => b.name));
    for (const expected of ['first', 'third', 'rest', 'n', 'missing', 'others', 'swapA', 'swapB', 'k', 'v', 'lazy', 'counter.value', 'this.count']) {
      assert.ok(names.has(expected), `no binding for ${expected}: ${[...names].join(', ')}`);
    }
  });

  it('leaves generated helpers alone and maps into the user file only', async () => {
    const { code, instrumented } = await prepare('sites.ts');
    assert.ok(instrumented.sites.every((s) => s.file.endsWith('sites.ts')));
    // esbuild's runtime prelude (before the first `// sites.ts` comment) is untouched.
    const prelude = code.slice(0, code.indexOf('// sites.ts'));
    assert.ok(instrumented.code.startsWith(prelude));
  });
});
