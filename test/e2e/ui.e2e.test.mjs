// The extension inside a real VS Code (code-server 4.96.4 + Debian's Chromium), used as a user
// would: install the .vsix, open the tutorial with Quick Open, run it from the command palette,
// read the graph panel's accessible outline, click a node, hover variables, open the side view,
// run a failing script, check IntelliSense. Screenshots go to test-results/e2e/.
//
//   node --test test/e2e/ui.e2e.test.mjs
// Env: EXT_VSIX (default gradscope.vsix), CODE_SERVER_BIN, GRADSCOPE_SHARED_DIR, HEADFUL=1, KEEP_PROFILE=1.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { makeWorkspace, recipeDir, repoRoot } from './sharedRecipe.mjs';

const {
  findCodeServer, installExtension, launchChromium, loadPlaywright, makeProfile, openFile, openWorkbench, runCommand,
  startCodeServer, webviewContent,
} = await import(pathToFileURL(path.join(recipeDir, 'codeserver.mjs')).href);

const SHOTS = path.join(repoRoot, 'test-results/e2e');
const STEP_TIMEOUT = 60_000;
const timings = {};
let profile, server, browser, page, workspace;

async function shot(name) {
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** node:test `test`, plus a FAIL-*.png screenshot when the body throws. */
function uiTest(name, fn) {
  return test(name, { timeout: 180_000 }, async () => {
    try {
      await fn();
    } catch (e) {
      if (page) await shot(`FAIL-${name.replace(/[^a-z0-9]+/gi, '_').slice(0, 60)}.png`).catch(() => {});
      throw e;
    }
  });
}

/** 1-based line of the first line of `file` (in the workspace) containing `text`. */
function lineOf(file, text) {
  const lines = fs.readFileSync(path.join(workspace, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `"${text}" not in ${file}`);
  return i + 1;
}

/** Ctrl+G to a line, so that it is rendered (Monaco renders only the visible lines). */
async function goToLine(line) {
  await page.locator('.part.editor .monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The editor's status-bar position, e.g. "Ln 28, Col 14 (44 selected)". */
async function cursorStatus() {
  return (await page.locator('.statusbar-item[id="status.editor.selection"]').innerText()).trim();
}

/**
 * Hovers the token `word` on the rendered line containing `lineText` and returns the hover text
 * once it contains `expect` (the shared hoverWord counts tokens over all rendered lines; this
 * picks one line, which is what "hover w where it is declared / used" means).
 */
async function hoverTokenOnLine(lineText, word, expect) {
  const line = page.locator('.editor-instance .monaco-editor .view-lines .view-line', { hasText: lineText }).first();
  const token = line.locator('span span', { hasText: new RegExp(`^${word}$`) }).first();
  await token.waitFor({ timeout: STEP_TIMEOUT });
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)', { hasText: expect }).first();
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const box = await token.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + 300);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
    try {
      await hover.waitFor({ state: 'visible', timeout: 5000 });
      await hover.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished))).catch(() => {});
      return (await hover.innerText()).trim();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** The content frame of the webview drawn over `partSelector` (the side bar, the editor area). */
async function webviewFrameIn(partSelector) {
  const part = await page.locator(partSelector).boundingBox();
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    for (const iframe of await page.locator('iframe.webview.ready').elementHandles()) {
      const box = await iframe.boundingBox();
      if (!box || !part || box.width === 0) continue;
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      if (cx >= part.x && cx <= part.x + part.width && cy >= part.y && cy <= part.y + part.height) {
        const host = await iframe.contentFrame();
        const inner = await host?.waitForSelector('#active-frame', { timeout: STEP_TIMEOUT });
        const frame = await inner?.contentFrame();
        if (frame) return frame;
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview over ${partSelector}`);
    await page.waitForTimeout(250);
  }
}

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const bin = findCodeServer();
  profile = makeProfile();
  workspace = makeWorkspace(profile.root);

  const vsix = path.resolve(repoRoot, process.env.EXT_VSIX || 'gradscope.vsix');
  assert.ok(fs.existsSync(vsix), `${vsix} not found: run \`npm run package\` first`);
  let t = Date.now();
  const out = await installExtension(bin, profile, vsix);
  timings.installExtensionMs = Date.now() - t;
  assert.match(out, /was successfully installed/, out);

  server = await startCodeServer(bin, profile);
  timings.serverStartMs = server.startMs;
  browser = await launchChromium(loadPlaywright(), { headless: !process.env.HEADFUL });
  const context = await browser.newContext({ viewport: { width: 1500, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  t = Date.now();
  await openWorkbench(page, server.url, workspace);
  timings.workbenchReadyMs = Date.now() - t;
  await shot('00-workbench.png');
});

after(async () => {
  await browser?.close().catch(() => {});
  if (server) {
    fs.writeFileSync(path.join(SHOTS, 'code-server.log'), server.log());
    await server.stop();
  }
  if (profile && !process.env.KEEP_PROFILE) fs.rmSync(profile.root, { recursive: true, force: true });
  fs.writeFileSync(path.join(SHOTS, 'timings.json'), JSON.stringify(timings, null, 2));
  console.log('timings', JSON.stringify(timings));
});

uiTest('Run Current File from the command palette shows the graph panel with PyTorch\'s node names', async () => {
  await openFile(page, 'autograd-tutorial.ts');
  await page.locator('.codelens-decoration', { hasText: 'Run with Gradscope' }).first().waitFor();
  await shot('01-tutorial.png');
  const t = Date.now();
  await runCommand(page, 'Gradscope: Run Current File');
  await page.locator('.tabs-container .tab', { hasText: 'Gradscope Graph' }).waitFor();
  const tree = webviewContent(page, '#gs-outline-tree[data-ready="true"]');
  await tree.waitFor({ timeout: STEP_TIMEOUT });
  timings.runToGraphMs = Date.now() - t;
  const names = await webviewContent(page, '#gs-outline-tree [role=treeitem] .gs-o-name').allInnerTexts();
  assert.ok(names.includes('AddBackward0'), `outline: ${names.join(', ')}`);
  assert.ok(names.includes('BinaryCrossEntropyWithLogitsBackward0'), `outline: ${names.join(', ')}`);
  await page.locator('.statusbar-item', { hasText: /Gradscope \d/ }).first().waitFor();
  await shot('02-graph-panel.png');
});

uiTest('clicking a node in the graph selects its source in the editor', async () => {
  const expectedLine = lineOf('autograd-tutorial.ts', '.pow(2)');
  await goToLine(1);
  assert.match(await cursorStatus(), /^Ln 1,/);
  // The node's id from the accessible outline, its position on the canvas from the page's debug hook.
  const item = webviewContent(page, '#gs-outline-tree [role=treeitem][data-node-id]').filter({ hasText: /^PowBackward0\b/ }).first();
  const nodeId = await item.getAttribute('data-node-id');
  assert.ok(nodeId, 'PowBackward0 is in the outline');
  const body = webviewContent(page, 'body');
  const point = await body.evaluate((_, id) => window.gradscopeDebug.clientPoint(id), nodeId);
  assert.ok(point, `PowBackward0 (${nodeId}) is not drawn on the canvas`);
  await body.click({ position: point });
  // Focus stays in the graph (the status bar's Ln/Col item is hidden then): read the editor's
  // active line number and its selection highlight instead.
  await page.waitForFunction(
    (line) => [...document.querySelectorAll('.part.editor .editor-instance .margin-view-overlays .active-line-number')]
      .some((e) => e.textContent.trim() === String(line)),
    expectedLine, { timeout: STEP_TIMEOUT },
  );
  assert.ok(await page.locator('.part.editor .editor-instance .view-overlays .selected-text').count() > 0, 'the expression is selected');
  await shot('03-node-click-selects-source.png');
});

uiTest('moving the cursor in the editor highlights that line\'s nodes in the graph', async () => {
  const title = webviewContent(page, '.gs-details-node .gs-details-title');
  await goToLine(lineOf('autograd-tutorial.ts', 'const inp = torch.eye'));
  await page.locator('.editor-instance .view-lines .view-line', { hasText: 'const inp = torch.eye' }).first().click();
  await title.filter({ hasText: /^inp$/ }).waitFor();
  await page.locator('.editor-instance .view-lines .view-line', { hasText: 'const out = inp.add(1)' }).first().click();
  await title.filter({ hasText: /^(AddBackward0|PowBackward0|TBackward0)$/ }).waitFor();
  await shot('04-cursor-selects-nodes.png');
});

uiTest('hovering w where it is declared and where it is used later shows its gradient', async () => {
  await goToLine(lineOf('autograd-tutorial.ts', 'const w = torch.randn'));
  const t = Date.now();
  const atDeclaration = await hoverTokenOnLine('const w = torch.randn', 'w', '0.2661');
  timings.hoverMs = Date.now() - t;
  assert.match(atDeclaration, /grad/);
  assert.match(atDeclaration, /0\.2661/);
  await shot('05-hover-declaration.png');

  await goToLine(lineOf('autograd-tutorial.ts', 'console.log(w.grad)'));
  const laterUse = await hoverTokenOnLine('console.log(w.grad)', 'w', '0.2661');
  assert.match(laterUse, /0\.2661/);
  await shot('06-hover-later-use.png');
  await page.mouse.move(5, 5);
});

uiTest('the Gradscope side view shows the same graph', async () => {
  await page.locator('.activitybar .action-item a[aria-label^="Gradscope"]').click();
  await page.locator('.part.sidebar .composite.title', { hasText: /Gradscope/i }).first().waitFor();
  const frame = await webviewFrameIn('.part.sidebar');
  await frame.waitForSelector('#gs-outline-tree[data-ready="true"]', { state: 'attached', timeout: STEP_TIMEOUT });
  const names = await frame.locator('#gs-outline-tree [role=treeitem] .gs-o-name').allInnerTexts();
  assert.ok(names.includes('BinaryCrossEntropyWithLogitsBackward0'), `side view outline: ${names.join(', ')}`);
  await shot('07-side-view.png');
  // back to the Explorer for the next steps
  await page.keyboard.press('Control+Shift+E');
});

uiTest('a shape mismatch shows a diagnostic with PyTorch\'s message on the matmul line', async () => {
  await openFile(page, 'shape-mismatch.ts');
  await runCommand(page, 'Gradscope: Run Current File');
  const line = lineOf('shape-mismatch.ts', 'torch.matmul(doubled, b)');
  await page.locator('.part.editor .squiggly-error').first().waitFor();
  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'mat1 and mat2 shapes cannot be multiplied (5x3 and 4x2)' }).first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, new RegExp(`\\[Ln ${line}, Col \\d+\\]`), text);
  assert.match(text, /Gradscope/);
  await shot('08-diagnostic.png');
});

uiTest('no red squiggle on `import * as torch from "gradscope"` (no npm install in the folder)', async () => {
  assert.ok(!fs.existsSync(path.join(workspace, 'node_modules')));
  await openFile(page, 'intellisense.ts');
  // The file's one deliberate type error shows that TypeScript has checked it.
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'is not assignable to type' }).first().waitFor({ timeout: 90_000 });
  const markers = await page.locator('.markers-panel').innerText();
  assert.doesNotMatch(markers, /Cannot find module 'gradscope'/);
  const squiggles = page.locator('.part.editor .editor-instance .squiggly-error');
  assert.equal(await squiggles.count(), 1, 'only the deliberate type error is underlined');
  await shot('09-intellisense.png');
});

uiTest('the editor title Run button runs the file; a long run shows a progress notification whose Cancel stops it', async () => {
  await openFile(page, 'forever.ts');
  await page.locator('.editor-actions .action-label[aria-label^="Run Current File"]').first().click();
  // While it runs, the title shows Stop instead of Run.
  await page.locator('.editor-actions .action-label[aria-label^="Stop"]').first().waitFor();
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Gradscope: running forever.ts' }).first();
  await toast.waitFor();
  await shot('10-progress.png');
  const cancelled = Date.now();
  await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await page.locator('.statusbar-item', { hasText: 'Gradscope' }).locator('.codicon-debug-stop').first().waitFor();
  assert.ok(Date.now() - cancelled < 5000, 'the run stopped');
  await page.locator('.editor-actions .action-label[aria-label^="Run Current File"]').first().waitFor();
  await toast.waitFor({ state: 'hidden' });
});

uiTest('activation time as VS Code measures it (Running Extensions, Startup Performance)', async () => {
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Gradscope' }).first();
  await row.waitFor();
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  const ms = /Activation: (\d+)\s*ms/.exec(text);
  assert.ok(ms, `no activation time in "${text}"`);
  timings.activationMs = Number(ms[1]);
  await shot('11-running-extensions.png');

  // The breakdown (code loading, activate() call, its promise) is in the Startup Performance report.
  await runCommand(page, 'Developer: Startup Performance');
  await page.locator('.tabs-container .tab.active', { hasText: /Startup Performance/ }).waitFor();
  await page.locator('.part.editor .monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+F');
  await page.keyboard.type('gradscope.gradscope');
  await page.keyboard.press('Escape');
  const line = page.locator('.part.editor .view-lines .view-line', { hasText: 'gradscope.gradscope' }).first();
  await line.waitFor();
  const cells = (await line.innerText()).split('|').map((c) => c.trim()).filter(Boolean);
  // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
  timings.activationBreakdown = { loadCodeMs: Number(cells[2]), callActivateMs: Number(cells[3]), finishActivateMs: Number(cells[4]), event: cells[5] };
  console.log(`activation (VS Code): ${timings.activationMs} ms = load code ${cells[2]} ms + call activate ${cells[3]} ms; event ${cells[5]}`);
  await shot('12-startup-performance.png');
});
