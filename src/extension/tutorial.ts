/**
 * The walkthrough's "open the tutorial" step: a copy of the bundled PyTorch autograd tutorial
 * where the user can edit and run it — the first workspace folder, else the extension's storage.
 */
import * as vscode from 'vscode';

const TUTORIAL = 'autograd-tutorial.ts';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function openTutorial(context: vscode.ExtensionContext): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? context.globalStorageUri;
  const target = vscode.Uri.joinPath(folder, TUTORIAL);
  // NOTE: never overwrite: the user may have edited an earlier copy.
  if (!(await exists(target))) {
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'examples', TUTORIAL), target);
  }
  return vscode.window.showTextDocument(target, { preview: false });
}
