/**
 * The README stays true: every file it links or shows exists, the npm scripts it tells people to
 * run exist, every setting it documents is one the extension contributes (and the reverse), and no
 * section is left as a placeholder.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
};

/** Targets of markdown links and images that point into the repository. */
function localTargets(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = m[1];
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    out.push(target.split('#')[0]);
  }
  return out;
}

describe('README', () => {
  it('links and shows only files that exist', () => {
    const targets = localTargets(readme);
    assert.ok(targets.some((t) => t.endsWith('.png')), 'the README shows screenshots');
    const missing = targets.filter((t) => !existsSync(resolve(ROOT, t)));
    assert.deepEqual(missing, []);
  });

  it('has no placeholder left', () => {
    assert.doesNotMatch(readme, /PLACEHOLDER|TODO|TBD/);
  });

  it('tells people to run npm scripts that exist', () => {
    const used = [...readme.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]);
    assert.ok(used.includes('tutorial'), 'the main job is in the README');
    for (const name of used) assert.ok(name in manifest.scripts, `npm run ${name} is not a script`);
    assert.ok('test' in manifest.scripts);
  });

  it('documents exactly the settings the extension contributes', () => {
    const config = manifest.contributes.configuration;
    const sections = Array.isArray(config) ? config : [config];
    const contributed = sections.flatMap((c) => Object.keys(c.properties)).sort();
    // The settings table: one row per setting, its key first.
    const documented = [...readme.matchAll(/^\| `(gradscope\.[\w.]+)` \|/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, contributed);
  });
});
