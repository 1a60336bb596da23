/** Text and attribute escaping for the SVG serializer. */
export function xmlEscape(s: string): string {
  // NOTE: also drop characters XML 1.0 forbids, so any tensor name still yields a parseable file.
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}
