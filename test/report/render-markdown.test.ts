import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { hookNamed, loadReport, NEW_REPORT, OLD_REPORT } from './report-fixtures.js';

// Markdown is judged by what a CommonMark renderer with raw HTML and autolinks enabled (as on
// GitHub) makes of it, not by its source text.
const markdown = new MarkdownIt({ html: true, linkify: true });
const toHtml = (text: string): string => markdown.render(text);

describe('renderMarkdown', () => {
  it('summarises the install in a table and lists every hook, blocked first', () => {
    const html = toHtml(renderMarkdown(loadReport(NEW_REPORT), { reportFile: 'fixtures/reports/new.json' }));
    expect(html).toContain('<h3>hookbox: 5 blocked of 6 install hook(s)</h3>');
    expect(html).toMatch(/<td style="text-align:right">6<\/td>\s*<td style="text-align:right">1<\/td>\s*<td style="text-align:right">5<\/td>/);
    const rows = [...html.matchAll(/<tr>\s*<td>(✅|❌)[^<]*<\/td>/g)].map((match) => match[1]);
    expect(rows).toEqual(['❌', '❌', '❌', '❌', '❌', '✅']);
    expect(html.match(/<details>/g)).toHaveLength(5);
  });

  it('gives every blocked hook its exact approve command in a code block', () => {
    const report = loadReport(NEW_REPORT);
    const html = toHtml(renderMarkdown(report, { reportFile: 'fixtures/reports/new.json' }));
    for (const hook of report.hooks.filter((entry) => entry.status === 'blocked')) {
      expect(html).toContain(`<code class="language-sh">hookbox approve ${hook.package.name} --from fixtures/reports/new.json\n</code>`);
    }
    expect(html).not.toContain('hookbox approve @hookbox-fixtures/postinstall-generates-file');
  });

  it('shows an all-clear heading when nothing was blocked', () => {
    const old = loadReport(OLD_REPORT);
    old.hooks = old.hooks.filter((hook) => hook.status === 'allowed');
    old.summary = { ...old.summary, hooks: old.hooks.length, blocked: 0 };
    expect(renderMarkdown(old)).toMatch(/^### hookbox: all 3 install hook\(s\) allowed/);
    old.hooks = [];
    old.summary = { hooks: 0, allowed: 0, blocked: 0, failed: 0, skipped: 0, cached: 0 };
    expect(renderMarkdown(old)).toMatch(/^### hookbox: no install hooks ran\n/);
  });

  it('renders hostile names and output from a real hook as text, creating no element', () => {
    const html = toHtml(renderMarkdown(loadReport(NEW_REPORT)));
    expect(html).toContain('&lt;img src=x onerror=window.__pwned=1&gt;');
    expect(html).toContain('&quot;&gt;&lt;svg onload=window.__pwned=2&gt;.txt');
    expect(html).not.toMatch(/<(img|svg|script)\b/i);
  });

  it('keeps Markdown in package data inert: no image, link, emphasis, extra table cell, mention or early end of a block', () => {
    const report = loadReport(NEW_REPORT);
    const hostile = hookNamed(report, 'postinstall-hostile-names');
    hostile.findings.unshift('wrote ![pixel](https://attacker.invalid/p.png) | forged | cell |', 'read [click](javascript:alert(1)) **bold** `code`', '</details><img src=x>');
    hostile.status = 'failed';
    hostile.stdout.text = '```\n</details>\n<img src=x onerror=alert(1)>\n````\n';
    report.summary = { ...report.summary, blocked: report.summary.blocked - 1, failed: 1 };
    const html = toHtml(renderMarkdown(report));
    expect(html).not.toMatch(/<(img|a|script)\b/i);
    expect(html).not.toContain('<strong>bold</strong>');
    expect(html).not.toContain('<code>code</code>');
    expect(html).toContain('**bold**');
    expect(html.match(/<\/details>/g)).toHaveLength(5);
    const row = html.split('\n').find((line) => line.includes('forged'));
    expect(row).toBeDefined();
    // The hostile row has the same four cells as every other row.
    const rowHtml = html.slice(html.lastIndexOf('<tr>', html.indexOf('forged')), html.indexOf('</tr>', html.indexOf('forged')));
    expect(rowHtml.match(/<td>/g)).toHaveLength(4);
    // "@hookbox-fixtures/…" would notify a GitHub user or team: a zero-width space follows each @.
    expect(html).toContain('@\u200bhookbox-fixtures/postinstall-hostile-names');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('stays small enough for a pull-request comment, even for a huge install', () => {
    expect(renderMarkdown(loadReport(NEW_REPORT)).length).toBeLessThan(65_536);
    const report = loadReport(NEW_REPORT);
    const template = hookNamed(report, 'postinstall-writes-outside');
    report.hooks = Array.from({ length: 500 }, (_, index) => ({
      ...structuredClone(template),
      id: `node_modules/pkg-${index}#postinstall`,
      package: { ...template.package, name: `pkg-${index}` },
      script: `node build.js ${'--flag '.repeat(2000)}`,
    }));
    report.summary = { ...report.summary, hooks: 500, blocked: 500, allowed: 0 };
    const text = renderMarkdown(report, { reportFile: 'r.json' });
    expect(text.length).toBeLessThan(65_536);
    expect(text).toMatch(/…and \d+ more hook\(s\); see the full report\./);
    expect(text).toMatch(/…and \d+ more blocked or failed hook\(s\) not detailed here/);
    const html = toHtml(text);
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    expect(html).toContain('hookbox approve pkg-0 --from r.json');
  });
});
