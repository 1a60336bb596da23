// API tests of the Gradscope extension, run INSIDE code-server's real extension host by
// test/e2e/runApiTests.mjs (workspace: a copy of test/e2e/workspace + examples/autograd-tutorial.ts).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { createSuite, waitFor } = require('./harness');

const EXTENSION_ID = 'gradscope.gradscope';
const { test, run } = createSuite();
/** @type {import('../../../src/extension/main').GradscopeApi} */
let api;

const folder = () => vscode.workspace.workspaceFolders[0].uri;
const fileUri = (name) => vscode.Uri.joinPath(folder(), name);

async function open(name) {
  const document = await vscode.workspace.openTextDocument(fileUri(name));
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  return document;
}

/** Position of the `nth` occurrence of `text` in the document, plus `offset` characters. */
function positionOf(document, text, { nth = 0, offset = 0 } = {}) {
  const content = document.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = content.indexOf(text, at + 1);
    assert.ok(at >= 0, `"${text}" (occurrence ${nth}) not found in ${document.fileName}`);
  }
  return document.positionAt(at + offset);
}

async function hoverText(uri, position) {
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n---\n');
}

function runFile(name) {
  return vscode.commands.executeCommand('gradscope.runFile', fileUri(name));
}

test('activates fast, on TypeScript files or commands', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not found`);
  const wasActive = ext.isActive;
  const started = performance.now();
  api = await ext.activate();
  const total = performance.now() - started;
  // VS Code's own marks around require() of dist/extension.js (its "Load Code" also counts an
  // await before it, during which other extensions run).
  const marks = (globalThis.MonacoPerformanceMarks && globalThis.MonacoPerformanceMarks.getMarks()) || [];
  const mark = (what) => marks.find((m) => m.name === `code/extHost/${what}/${EXTENSION_ID}`);
  const requireMs = mark('willLoadExtensionCode') && mark('didLoadExtensionCode')
    ? mark('didLoadExtensionCode').startTime - mark('willLoadExtensionCode').startTime : NaN;
  console.log(`activation: require(dist/extension.js) ${requireMs} ms, activate() body ${api.activateMs.toFixed(1)} ms; `
    + `ext.activate() ${wasActive ? '(already active)' : `${total.toFixed(1)} ms`}`);
  assert.equal(typeof api.activateMs, 'number');
  assert.ok(api.activateMs < 50, `activate() took ${api.activateMs} ms`);
  const manifest = ext.packageJSON;
  assert.deepEqual(manifest.activationEvents, ['onLanguage:typescript']);
});

test('commands are registered', async () => {
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['gradscope.runFile', 'gradscope.stop', 'gradscope.showGraph', 'gradscope.toggleInlineValues',
    'gradscope.exportGraph', 'gradscope.showNode', 'gradscope.openTutorial']) {
    assert.ok(commands.includes(id), `${id} is not registered`);
  }
});

test('CodeLens "Run with Gradscope" only on files that import gradscope', async () => {
  const lensesOf = async (name) => {
    await open(name);
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', fileUri(name), 10);
    return lenses.filter((l) => l.command && l.command.command === 'gradscope.runFile');
  };
  const tutorial = await lensesOf('autograd-tutorial.ts');
  assert.equal(tutorial.length, 1, 'the tutorial should get one Run lens');
  assert.match(tutorial[0].command.title, /Run with Gradscope/);
  assert.equal(tutorial[0].range.start.line, 0);
  assert.equal((await lensesOf('plain.ts')).length, 0, 'plain.ts does not import gradscope');
});

test('running the tutorial produces a snapshot with PyTorch\'s node names', async () => {
  await open('autograd-tutorial.ts');
  const result = await runFile('autograd-tutorial.ts');
  assert.ok(result, 'runFile returned nothing');
  assert.equal(result.status, 'ok', JSON.stringify(result.error));
  const labels = new Set(result.snapshot.nodes.map((n) => n.label));
  for (const name of ['AddBackward0', 'BinaryCrossEntropyWithLogitsBackward0']) assert.ok(labels.has(name), `no ${name} in ${[...labels]}`);
  assert.equal(api.lastRun().runId, result.runId);
  assert.ok(result.logs.some((l) => /Gradient function for loss = <BinaryCrossEntropyWithLogitsBackward0/.test(l.text)), 'console output missing');
  assert.ok(api.graphViews().panelOpen, 'the graph panel should open on run');
});

test('the graph panel loads its page and completes the ready handshake', async () => {
  await waitFor(() => api.graphViews().ready >= 1, 'the panel to post ready', 30_000);
});

test('the side view shows the same graph', async () => {
  await vscode.commands.executeCommand('workbench.view.extension.gradscope');
  await waitFor(() => api.graphViews().sideViewResolved, 'the side view to resolve', 20_000);
  await waitFor(() => api.graphViews().ready >= 2, 'both views to be ready', 30_000);
});

test('hover on w (declaration, later use, w.grad) shows its gradient', async () => {
  const document = await open('autograd-tutorial.ts');
  const uri = document.uri;
  const lastRun = api.lastRun();
  const w = lastRun.snapshot.nodes.find((n) => n.id === lastRun.snapshot.bindings.find((b) => b.name === 'w').nodeId);
  assert.ok(w && w.grad, 'w has a gradient in the snapshot');

  const atDeclaration = await hoverText(uri, positionOf(document, 'const w =', { offset: 6 }));
  assert.match(atDeclaration, /0\.2661/, atDeclaration);
  assert.match(atDeclaration, /\[5, 3\]/);
  assert.match(atDeclaration, /requires_grad=True/);
  assert.match(atDeclaration, /is_leaf=True/);
  assert.match(atDeclaration, /command:gradscope\.showNode/);

  const laterUse = await hoverText(uri, positionOf(document, 'let z = torch.matmul(x, w)', { offset: 24 }));
  assert.match(laterUse, /0\.2661/, laterUse);

  const gradAccess = await hoverText(uri, positionOf(document, 'console.log(w.grad)', { offset: 15 }));
  assert.match(gradAccess, /w\\?\.grad/);
  assert.match(gradAccess, /0\.2661/, gradAccess);
});

test('hover on z shows grad_fn and the loss shows its value', async () => {
  const document = await open('autograd-tutorial.ts');
  const z = await hoverText(document.uri, positionOf(document, 'let z =', { offset: 4 }));
  assert.match(z, /grad_fn=\\?<AddBackward0\\?>/, z);
  const loss = await hoverText(document.uri, positionOf(document, 'const loss', { offset: 6 }));
  assert.match(loss, /BinaryCrossEntropyWithLogitsBackward0/, loss);
});

test('a variable reassigned in a loop shows its last value and the count', async () => {
  const document = await open('loop.ts');
  const result = await runFile('loop.ts');
  assert.equal(result.status, 'ok', JSON.stringify(result.error));
  const text = await hoverText(document.uri, positionOf(document, 'console.log(acc)', { offset: 13 }));
  assert.match(text, /assigned 3×/, text);
  assert.match(text, /tensor\(\[3\., 3\.\]\)/, text);
});

test('inline values: shown after a run, follow edits and are marked stale', async () => {
  const document = await open('autograd-tutorial.ts');
  const result = await runFile('autograd-tutorial.ts');
  assert.equal(result.status, 'ok');
  const lossLine = positionOf(document, 'const loss').line;
  const values = api.inlineValues(document.uri);
  const loss = values.find((v) => v.line === lossLine);
  assert.ok(loss, `no inline value on the loss line ${lossLine}: ${JSON.stringify(values)}`);
  assert.match(loss.text, /^loss = \d+\.\d+/);
  assert.ok(values.some((v) => /^w \[5, 3\]\s+‖grad‖=/.test(v.text)), JSON.stringify(values));
  assert.ok(values.every((v) => !v.stale));

  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(0, 0), '// edited\n');
  assert.ok(await vscode.workspace.applyEdit(edit));
  const after = api.inlineValues(document.uri);
  assert.ok(after.every((v) => v.stale), 'values should be stale after an edit');
  assert.ok(after.some((v) => v.line === lossLine + 1 && v.text === loss.text), 'the loss value should move down one line');

  const undo = new vscode.WorkspaceEdit();
  undo.delete(document.uri, new vscode.Range(0, 0, 1, 0));
  assert.ok(await vscode.workspace.applyEdit(undo));
  await document.save();
});

test('Toggle Inline Values hides and shows them', async () => {
  const document = await open('autograd-tutorial.ts');
  await runFile('autograd-tutorial.ts');
  assert.ok(api.inlineValues(document.uri).length > 0);
  await vscode.commands.executeCommand('gradscope.toggleInlineValues');
  assert.equal(api.inlineValues(document.uri).length, 0);
  assert.equal(vscode.workspace.getConfiguration('gradscope').get('inlineValues.enabled'), false);
  await vscode.commands.executeCommand('gradscope.toggleInlineValues');
  assert.ok(api.inlineValues(document.uri).length > 0);
});

test('a shape mismatch becomes a diagnostic with PyTorch\'s message on the matmul; the graph up to it is kept', async () => {
  const document = await open('shape-mismatch.ts');
  const result = await runFile('shape-mismatch.ts');
  assert.equal(result.status, 'error');
  const diagnostics = await waitFor(() => {
    const d = vscode.languages.getDiagnostics(document.uri).filter((x) => x.source === 'Gradscope');
    return d.length ? d : null;
  }, 'a Gradscope diagnostic');
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, /mat1 and mat2 shapes cannot be multiplied \(5x3 and 4x2\)/);
  const matmul = positionOf(document, 'torch.matmul(doubled, b)');
  assert.equal(diagnostics[0].range.start.line, matmul.line);
  assert.match(document.getText(diagnostics[0].range), /matmul/);
  assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
  assert.ok(result.snapshot, 'the graph up to the failure');
  assert.ok(result.snapshot.nodes.some((n) => n.label === 'MulBackward0'), 'MulBackward0 ran before the failure');
});

test('the diagnostic is cleared by the next successful run', async () => {
  await runFile('autograd-tutorial.ts');
  assert.equal(vscode.languages.getDiagnostics(fileUri('shape-mismatch.ts')).filter((x) => x.source === 'Gradscope').length, 0);
});

test('Stop ends a run within 1 s', async () => {
  await open('forever.ts');
  const pending = runFile('forever.ts');
  await waitFor(() => api.running(), 'the run to start');
  await new Promise((r) => setTimeout(r, 1500)); // let it get into its loop
  const started = Date.now();
  await vscode.commands.executeCommand('gradscope.stop');
  const result = await pending;
  const took = Date.now() - started;
  assert.equal(result.status, 'cancelled');
  assert.ok(took < 1000, `stopping took ${took} ms`);
  assert.equal(api.running(), false);
});

test('a new run cancels the one in flight', async () => {
  const first = runFile('forever.ts');
  await waitFor(() => api.running(), 'the first run to start');
  const second = runFile('autograd-tutorial.ts');
  assert.equal((await first).status, 'cancelled');
  assert.equal((await second).status, 'ok');
  assert.ok(api.lastRun().file.endsWith('autograd-tutorial.ts'));
});

test('the time limit setting stops a script that runs too long', async () => {
  const config = vscode.workspace.getConfiguration('gradscope');
  await config.update('timeLimitMs', 2000, vscode.ConfigurationTarget.Workspace);
  try {
    const started = Date.now();
    const result = await runFile('forever.ts');
    assert.equal(result.status, 'timeout');
    assert.ok(Date.now() - started < 8000, 'the limit was not applied');
  } finally {
    await config.update('timeLimitMs', undefined, vscode.ConfigurationTarget.Workspace);
  }
});

test('run on save runs a gradscope file when it is saved (setting on)', async () => {
  const config = vscode.workspace.getConfiguration('gradscope');
  await config.update('runOnSave', true, vscode.ConfigurationTarget.Workspace);
  try {
    const document = await open('loop.ts');
    const before = api.lastRun() && api.lastRun().runId;
    const editor = vscode.window.activeTextEditor;
    await editor.edit((e) => e.insert(new vscode.Position(document.lineCount - 1, 0), '// saved\n'));
    await document.save();
    const run = await waitFor(() => {
      const last = api.lastRun();
      return last && last.runId !== before && !api.running() ? last : null;
    }, 'a run triggered by the save', 30_000);
    assert.ok(run.file.endsWith('loop.ts'));
    assert.equal(run.status, 'ok');
  } finally {
    await config.update('runOnSave', undefined, vscode.ConfigurationTarget.Workspace);
  }
});

test('IntelliSense: `gradscope` resolves without npm install (no "Cannot find module", completions)', async () => {
  const document = await open('intellisense.ts');
  assert.ok(!fs.existsSync(vscode.Uri.joinPath(folder(), 'node_modules').fsPath), 'the workspace must have no node_modules');
  // The deliberate type error proves the TypeScript server has checked the file.
  const diagnostics = await waitFor(() => {
    const d = vscode.languages.getDiagnostics(document.uri);
    return d.some((x) => String(x.code && (x.code.value ?? x.code)) === '2322') ? d : null;
  }, 'TypeScript diagnostics of intellisense.ts', 60_000, 250);
  const codes = diagnostics.map((x) => String(x.code && (x.code.value ?? x.code)));
  assert.ok(!codes.includes('2307'), `"Cannot find module": ${diagnostics.map((x) => x.message).join('; ')}`);
  assert.equal(codes.filter((c) => c !== '2322').length, 0, diagnostics.map((x) => `${x.code}: ${x.message}`).join('; '));
  const completions = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri,
    positionOf(document, 'torch.randn', { offset: 6 }));
  const names = completions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  for (const name of ['randn', 'matmul', 'manualSeed', 'nn']) assert.ok(names.includes(name), `no completion ${name}`);
});

test('Export Graph writes the snapshot as JSON and as a standalone HTML page', async () => {
  const result = await runFile('autograd-tutorial.ts');
  const jsonUri = fileUri('exported.graph.json');
  await vscode.commands.executeCommand('gradscope.exportGraph', 'json', jsonUri);
  const json = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(jsonUri)).toString('utf8'));
  assert.equal(json.nodes.length, result.snapshot.nodes.length);
  const htmlUri = fileUri('exported.graph.html');
  await vscode.commands.executeCommand('gradscope.exportGraph', 'html', htmlUri);
  const html = Buffer.from(await vscode.workspace.fs.readFile(htmlUri)).toString('utf8');
  assert.match(html, /^<!DOCTYPE html>/i);
  assert.match(html, /BinaryCrossEntropyWithLogitsBackward0/);
});

test('Show in graph (the hover link) reveals the node in the panel', async () => {
  const run = api.lastRun();
  const w = run.snapshot.bindings.find((b) => b.name === 'w');
  await vscode.commands.executeCommand('gradscope.showNode', w.nodeId);
  assert.ok(api.graphViews().panelOpen);
});

test('the walkthrough is contributed and "Open the Autograd Tutorial" puts a copy in the workspace', async () => {
  const manifest = vscode.extensions.getExtension(EXTENSION_ID).packageJSON;
  const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'gradscope.gettingStarted');
  assert.ok(walkthrough && walkthrough.steps.length >= 2);
  const copy = fileUri('autograd-tutorial.ts');
  await vscode.workspace.fs.delete(copy);
  await vscode.commands.executeCommand('gradscope.openTutorial');
  const bundled = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID).extensionUri, 'examples', 'autograd-tutorial.ts'));
  assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(copy)), Buffer.from(bundled));
  assert.equal(vscode.window.activeTextEditor.document.uri.fsPath, copy.fsPath);
  const result = await vscode.commands.executeCommand('gradscope.runFile');
  assert.equal(result.status, 'ok');
});

exports.run = run;
