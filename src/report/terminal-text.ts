// Package data with control characters shown as \xNN: a file name or output holding an escape
// sequence must not retitle, recolour or rewrite the reviewer's terminal.
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// The same, for one line: newlines and tabs too.
export function visibleLine(text: string): string {
  return visible(text).replace(/[\n\t]/g, (char) => (char === '\n' ? '\\n' : '\\t'));
}
