/**
 * Turns hover segments into a MarkdownString that cannot be hijacked by what the script printed:
 * no HTML, script text through `appendText` (which escapes Markdown), printed values in a code
 * fence longer than any backtick run inside them, and command links limited to "Show in graph".
 */
import * as vscode from 'vscode';
import { SHOW_NODE_COMMAND, type Segment } from './hoverContent';

/** A fenced code block that `code` cannot close early. */
export function fencedCode(code: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `\n${fence}text\n${code}\n${fence}\n`;
}

export function toMarkdown(segments: readonly Segment[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.supportHtml = false;
  md.isTrusted = { enabledCommands: [SHOW_NODE_COMMAND] };
  for (const s of segments) {
    if ('md' in s) md.appendMarkdown(s.md);
    else if ('text' in s) md.appendText(s.text);
    else md.appendMarkdown(fencedCode(s.code));
  }
  return md;
}
