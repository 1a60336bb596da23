/**
 * Running a script executes its code (and the code of whatever it imports), so it happens only in
 * trusted workspaces. In restricted mode the hover, the graph of a past run and IntelliSense
 * still work; a run is refused with an explanation and a way to trust the folder.
 */
import * as vscode from 'vscode';

export const UNTRUSTED_MESSAGE = 'Gradscope runs scripts only in trusted workspaces: running a file executes its code and everything it imports. Trust this workspace to run it.';

/** True when running is allowed; otherwise explains why not (without waiting for the answer). */
export function checkTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
