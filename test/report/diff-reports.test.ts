import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { diffReports, isEmptyDiff } from '../../src/report/diff-reports.js';
import { renderDiffMarkdown, renderDiffText } from '../../src/report/render-diff.js';
import { hookNamed, loadReport, NEW_REPORT, OLD_REPORT } from './report-fixtures.js';

const FX = '@hookbox-fixtures/';
const diff = diffReports(loadReport(OLD_REPORT), loadReport(NEW_REPORT));
const names = (refs: Array<{ name: string }>): string[] => refs.map((ref) => ref.name.replace(FX, ''));
const forHook = <T extends { hook: { name: string } }>(entries: T[], short: string): T | undefined => entries.find((entry) => entry.hook.name === FX + short);

describe('diffReports on two real installs (a dependency bump)', () => {
  it('lists hooks added and removed', () => {
    expect(names(diff.added)).toEqual(['postinstall-hostile-names', 'postinstall-runs-curl', 'postinstall-writes-outside']);
    expect(names(diff.removed)).toEqual(['postinstall-spawns-grandchild']);
  });

  it('shows the bumped package as one hook whose version, script and verdict changed', () => {
    expect(diff.versionChanges).toEqual([{ hook: expect.objectContaining({ name: `${FX}approved-then-changed` }), from: '1.0.0', to: '1.1.0' }]);
    expect(diff.scriptChanges).toHaveLength(1);
    expect(diff.scriptChanges[0]?.lines).toEqual([
      { op: '-', text: 'node hook.js' },
      { op: '+', text: 'node hook.js --fast' },
    ]);
    expect(diff.verdictChanges).toEqual([expect.objectContaining({ hook: expect.objectContaining({ name: `${FX}approved-then-changed` }), from: 'allowed', to: 'blocked' })]);
  });

  it('reports new programs, written paths and network destinations per hook', () => {
    expect(forHook(diff.newPrograms, 'postinstall-runs-curl')?.items).toContain('/usr/bin/curl');
    expect(forHook(diff.newNetwork, 'postinstall-runs-curl')?.items).toEqual(['connect 127.0.0.1:9']);
    const writes = forHook(diff.newWrites, 'postinstall-writes-outside')?.items ?? [];
    expect(writes).toEqual(expect.arrayContaining([
      { path: 'package.json', class: 'project' },
      { path: 'node_modules/.bin/hookbox-hijack', class: 'bin' },
      { path: `node_modules/${FX}postinstall-generates-file/index.js`, class: 'other-package' },
    ]));
  });

  it('finds nothing new in hooks that behaved the same, although the two projects live in different directories', () => {
    const before = loadReport(OLD_REPORT);
    const after = loadReport(NEW_REPORT);
    expect(before.project).not.toBe(after.project);
    for (const same of ['postinstall-generates-file', 'postinstall-resolves-host', 'approved-then-changed']) {
      const lists: Array<Array<{ hook: { name: string } }>> = [diff.newPrograms, diff.newWrites, diff.newNetwork, diff.newDns];
      for (const list of lists) expect(forHook(list, same)).toBeUndefined();
    }
    expect(hookNamed(after, 'postinstall-resolves-host').dns.map((query) => query.name)).toContain('canary-exfil.hookbox.invalid');
  });

  it('is empty for a report compared with itself, and reversed when the reports are swapped', () => {
    expect(isEmptyDiff(diffReports(loadReport(NEW_REPORT), loadReport(NEW_REPORT)))).toBe(true);
    const back = diffReports(loadReport(NEW_REPORT), loadReport(OLD_REPORT));
    expect(names(back.removed)).toEqual(names(diff.added));
    expect(names(back.added)).toEqual(names(diff.removed));
    expect(back.verdictChanges[0]).toMatchObject({ from: 'blocked', to: 'allowed' });
  });
});

describe('rendering a diff', () => {
  it('as text, section by section, with the script diff', () => {
    const text = renderDiffText(diff);
    expect(text).toContain('hooks added:\n  + @hookbox-fixtures/postinstall-hostile-names@1.0.0 postinstall (blocked)');
    expect(text).toContain('hooks removed:\n  - @hookbox-fixtures/postinstall-spawns-grandchild@1.0.0 postinstall (was allowed)');
    expect(text).toContain('verdicts changed:\n  @hookbox-fixtures/approved-then-changed@1.1.0 postinstall: allowed → blocked');
    expect(text).toContain('    - node hook.js\n    + node hook.js --fast');
    expect(text).toContain('new network destinations:\n  @hookbox-fixtures/postinstall-runs-curl@1.0.0 postinstall: connect 127.0.0.1:9');
    expect(renderDiffText(diffReports(loadReport(OLD_REPORT), loadReport(OLD_REPORT)))).toContain('no changes in hooks, scripts, verdicts or behaviour');
  });

  it('as text, with control characters in package data made visible', () => {
    const after = loadReport(NEW_REPORT);
    hookNamed(after, 'postinstall-runs-curl').processes[0]!.program = '/usr/bin/\u001b]0;owned\u0007curl';
    const text = renderDiffText(diffReports(loadReport(OLD_REPORT), after));
    expect(text).not.toContain('\u001b');
    expect(text).toContain('/usr/bin/\\x1b]0;owned\\x07curl');
  });

  it('as Markdown: the script diff fenced, hostile paths inert', () => {
    const html = new MarkdownIt({ html: true, linkify: true }).render(renderDiffMarkdown(diff));
    expect(html).toContain('<code class="language-diff">- node hook.js\n+ node hook.js --fast\n</code>');
    expect(html).toContain('&lt;img src=x onerror=window.__pwned=1&gt;');
    expect(html).not.toMatch(/<(img|svg|script|a)\b/i);
    expect(html).toContain('allowed → <strong>blocked</strong>');
  });
});
