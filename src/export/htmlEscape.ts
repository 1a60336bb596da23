/** Escaping for the page templates (pure: used by the extension host, the CLI and the page itself). */

/** Text and double-quoted attribute values (the templates quote every attribute with `"`). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/**
 * JSON placed inside a `<script type="application/json">` element: `<`, `>` and `&` become \u escapes,
 * so no string in the data (`</script><script>…`) can end the element; JSON.parse reads them back.
 */
export function jsonForScriptElement(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript placed inside a `<script>` element: a literal `</script` (or `<!--`) in a string of the
 * bundle would end or confuse the element; `<\/` means the same inside JS strings and regexes.
 */
export function jsForScriptElement(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** CSS inside a `<style>` element: only `</style` can end it. */
export function cssForStyleElement(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}
