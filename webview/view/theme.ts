/**
 * Theme tracking. VS Code sets `vscode-light` / `vscode-dark` / `vscode-high-contrast` on <body> and
 * updates its `--vscode-*` variables in place when the user switches themes; the page watches the
 * class attribute. Outside VS Code (standalone HTML) the page picks a class from the OS preference.
 */
import type { ThemeKind } from '../protocol';

const CLASSES: Record<ThemeKind, string[]> = {
  light: ['vscode-light'],
  dark: ['vscode-dark'],
  'high-contrast': ['vscode-high-contrast'],
  'high-contrast-light': ['vscode-high-contrast', 'vscode-high-contrast-light'],
};
const ALL = ['vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light'];

export function currentTheme(body: HTMLElement = document.body): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-dark')) return 'dark';
  return 'light';
}

export function applyTheme(kind: ThemeKind, body: HTMLElement = document.body): void {
  body.classList.remove(...ALL);
  body.classList.add(...CLASSES[kind]);
}

/** Gives the body a theme class when no host set one (standalone page). */
export function ensureThemeClass(body: HTMLElement = document.body): void {
  if (ALL.some((c) => body.classList.contains(c))) return;
  const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  applyTheme(dark ? 'dark' : 'light', body);
}

/**
 * Calls `onChange` after the theme changes (coalesced to one call per frame): the body's class, or the
 * variables VS Code writes into <html>'s style attribute.
 */
export function watchTheme(onChange: () => void, body: HTMLElement = document.body): () => void {
  let scheduled = false;
  const obs = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      onChange();
    });
  });
  obs.observe(body, { attributes: true, attributeFilter: ['class'] });
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => obs.disconnect();
}
