// Where the shared VS Code test recipe lives (code-server helpers, the API-test runner):
// $GRADSCOPE_SHARED_DIR, else ../shared beside the repository, else /work/shared.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const sharedDir = [process.env.GRADSCOPE_SHARED_DIR, path.resolve(repoRoot, '../shared'), '/work/shared']
  .filter(Boolean)
  .find((dir) => fs.existsSync(path.join(dir, 'vscode-e2e', 'codeserver.mjs')));
if (!sharedDir) throw new Error('the shared VS Code recipe (vscode-e2e/) was not found: set GRADSCOPE_SHARED_DIR');

export const recipeDir = path.join(sharedDir, 'vscode-e2e');

/**
 * A fresh workspace folder: the e2e scripts (test/e2e/workspace) plus the autograd tutorial.
 * `*.ts.txt` files become `*.ts`: they hold deliberate type errors the repository's own
 * typecheck must not see.
 */
export function makeWorkspace(parent) {
  const ws = path.join(parent, 'gradscope-ws');
  fs.mkdirSync(ws, { recursive: true });
  fs.cpSync(path.join(repoRoot, 'test/e2e/workspace'), ws, { recursive: true });
  for (const name of fs.readdirSync(ws)) {
    if (name.endsWith('.ts.txt')) fs.renameSync(path.join(ws, name), path.join(ws, name.slice(0, -'.txt'.length)));
  }
  fs.copyFileSync(path.join(repoRoot, 'examples/autograd-tutorial.ts'), path.join(ws, 'autograd-tutorial.ts'));
  return ws;
}
