// HTML built only through the `html` template tag: every interpolated value is escaped unless it
// is itself the product of `html`, so a file name, argv or output a hook chose (all of it
// attacker-controlled) can only ever become text, never markup.

const SAFE = Symbol('hookbox.safe-html');

export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Text as HTML text or a quoted attribute value.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as { [SAFE]?: unknown })[SAFE] === true;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafe(value)) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return { [SAFE]: true, value: out };
}

// Trusted markup written by hookbox itself (the page's CSS and script); never package data.
export function trustedHtml(markup: string): SafeHtml {
  return { [SAFE]: true, value: markup };
}
