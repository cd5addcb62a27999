// Markdown from package data without letting it become Markdown: a file name like
// `![x](https://attacker/pixel)` in a pull-request comment or step summary would otherwise load
// an image from the attacker (telling them when and where CI ran) or forge report lines.

// Inline text: one line; HTML's special characters as entities; backslashes before every
// character that can open emphasis, code, a link or image, a table cell, strikethrough or an
// emoji shortcode, and before any punctuation that starts the text (a list marker or heading).
export function mdText(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]!|~#:]|^[!-/:-?[-`{-~]/g, '\\$&')
    // After the backslashes: an entity's own `;` must not be escaped.
    .replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] as string)
    .replace(/@/g, NO_MENTION);
}

// A zero-width space after every "@": on GitHub, "@scope/pkg" in a comment would notify the user
// or team named "scope" (Renovate and Dependabot do the same). Code blocks are not affected.
const NO_MENTION = '@&#8203;';

// Text for inside an HTML element of the Markdown (a <summary>): entities only.
export function mdHtmlText(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string)
    .replace(/@/g, NO_MENTION);
}

// A fenced code block the content cannot close: the fence is longer than any run of backticks
// in the content (CommonMark closes a fence only with one at least as long).
export function mdFence(text: string, lang = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}
