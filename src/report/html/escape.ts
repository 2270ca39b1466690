/** Escaping for the HTML page: text and attribute values, and JSON inside a script element. Pure. */

/** Text and attribute values (double- or single-quoted) of HTML and inline SVG. */
export function escapeHtml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&` as `\u003c`...,
 * so no `</script>` or `<!--` ends or changes the element, and U+2028/2029 escaped as JavaScript
 * before ES2019 required. JSON.parse reads it back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}
