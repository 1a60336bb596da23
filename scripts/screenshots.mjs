// Regenerates the README's gallery: runs each example through the CLI, opens its standalone
// graph page in headless Chromium and saves a screenshot to docs/images/<example>.png.
//   node scripts/screenshots.mjs [example ...]      (after `node scripts/build.mjs`)
// The editor screenshots come from the real-VS-Code UI tests (`npm test` or
// `node scripts/test.mjs vscode` first): they are copied from test-results/e2e/ when there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['autograd-tutorial', 'mlp-spirals', 'polynomial-fit'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-shots-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const name of names) {
    const html = path.join(tmp, `${name}.html`);
    execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'run', path.join(root, 'examples', `${name}.ts`), '--html', html, '--quiet']);
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`file://${html}`);
    await page.locator('[role="tree"] [role="treeitem"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500); // layout worker and fit animation
    const out = path.join(root, 'docs/images', `${name}.png`);
    await page.screenshot({ path: out });
    await page.close();
    console.log(`wrote ${path.relative(root, out)}`);
  }
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** README name ← screenshot the real-VS-Code UI tests save (test/e2e/ui). */
const FROM_VSCODE_TESTS = {
  'panel.png': '02-graph-panel.png',
  'hover.png': '06-hover-later-use.png',
  'inline-values.png': '04-cursor-selects-nodes.png',
  'diagnostic.png': '08-diagnostic.png',
  'side-view.png': '07-side-view.png',
};
for (const [name, source] of Object.entries(FROM_VSCODE_TESTS)) {
  const from = path.join(root, 'test-results/e2e', source);
  if (!fs.existsSync(from)) {
    console.log(`skipped docs/images/${name}: no ${path.relative(root, from)} (run the vscode test layer first)`);
    continue;
  }
  fs.copyFileSync(from, path.join(root, 'docs/images', name));
  console.log(`wrote docs/images/${name} (from ${path.relative(root, from)})`);
}
