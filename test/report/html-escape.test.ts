import { describe, expect, it } from 'vitest';
import { html, trustedHtml } from '../../src/report/html-escape.js';
import { shellLine, shellQuote } from '../../src/report/shell-quote.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes, including arrays', () => {
    const name = `"><img src=x onerror=alert(1)>&'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&#39;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&#39;</p>');
    expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
  });

  it('passes through only its own results and explicitly trusted markup; drops null, undefined and false', () => {
    expect(html`${trustedHtml('<style>p{}</style>')}${null}${undefined}${false}${0}`.value).toBe('<style>p{}</style>0');
    // A plain object that looks like a SafeHtml is still escaped: only the symbol-marked value passes.
    expect(html`${{ value: '<i>' } as unknown as string}`.value).toBe('[object Object]');
  });
});

describe('shellQuote', () => {
  it('leaves package names bare and quotes anything a shell would interpret', () => {
    expect(shellLine(['hookbox', 'approve', '@scope/pkg', '--from', '.hookbox/reports/2026-01-01T00-00-00-000Z.json'])).toBe('hookbox approve @scope/pkg --from .hookbox/reports/2026-01-01T00-00-00-000Z.json');
    expect(shellQuote('a b')).toBe(`'a b'`);
    expect(shellQuote(`$(curl x)'`)).toBe(`'$(curl x)'\\'''`);
    expect(shellQuote('')).toBe(`''`);
  });
});
