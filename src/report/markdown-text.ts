/**
 * The one escape for untrusted text (names, messages, file names, exemption reasons, gap lines)
 * in every Markdown report (`scan -o markdown`, `audit analyze -o markdown`, `diff -o markdown`):
 * made for pull-request comments, where Markdown, the HTML it allows, and GitHub's own
 * references act on text. Every character Markdown or HTML would act on is escaped, `|` too
 * (it would end a table cell), line breaks become `<br>` (one row stays one row), and mentions
 * and references are broken with a zero-width space so a manifest cannot notify people
 * (`@everyone`, `@org/team`) or link issues (`#1`, `org/repo#1`, `GH-1`).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, '<br>')
    .replace(/([@#])(?=[\w-])/g, '$1\u200B')
    .replace(/\b(GH)-(?=\d)/gi, '$1\u200B-');
}
