// API tests in a RESTRICTED (untrusted) workspace, run by test/e2e/runApiTests.mjs through a
// code-server with Workspace Trust enabled: the extension loads, but never runs a script.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { createSuite } = require('./harness');

const { test, run } = createSuite();
let api;
const fileUri = (name) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);

test('the workspace is in restricted mode and the extension activates', async () => {
  assert.equal(vscode.workspace.isTrusted, false, 'this session must run with an untrusted workspace');
  const ext = vscode.extensions.getExtension('gradscope.gradscope');
  api = await ext.activate();
  assert.ok(ext.isActive);
});

test('Run Current File is refused: nothing runs', async () => {
  const document = await vscode.workspace.openTextDocument(fileUri('autograd-tutorial.ts'));
  await vscode.window.showTextDocument(document);
  const result = await vscode.commands.executeCommand('gradscope.runFile', document.uri);
  assert.equal(result, undefined);
  assert.equal(api.lastRun(), null);
  assert.equal(api.running(), false);
  assert.equal(api.graphViews().panelOpen, false, 'no panel for a refused run');
});

test('run on save does nothing in restricted mode', async () => {
  const config = vscode.workspace.getConfiguration('gradscope');
  await config.update('runOnSave', true, vscode.ConfigurationTarget.Global);
  try {
    const document = await vscode.workspace.openTextDocument(fileUri('loop.ts'));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), ' '));
    await document.save();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(api.lastRun(), null);
    assert.equal(api.running(), false);
  } finally {
    await config.update('runOnSave', undefined, vscode.ConfigurationTarget.Global);
  }
});

exports.run = run;
