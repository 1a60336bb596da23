/**
 * "▶ Run with Gradscope" above the first line of TypeScript files that import the library.
 * Runs on every TypeScript file the user opens, so it only looks at text: no parse, no runner.
 */
import * as vscode from 'vscode';

/** `import … from 'gradscope'`, `import 'gradscope/…'`, `require('gradscope')`, `import('gradscope')`. */
const IMPORTS_GRADSCOPE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])gradscope(?:\/[^'"]*)?\1/;

export function importsGradscope(text: string): boolean {
  return IMPORTS_GRADSCOPE.test(text);
}

export const RUN_FILE_COMMAND = 'gradscope.runFile';

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!importsGradscope(document.getText())) return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
      title: '▶ Run with Gradscope',
      tooltip: 'Run this file and show its computational graph',
      command: RUN_FILE_COMMAND,
      arguments: [document.uri],
    })];
  }
}
