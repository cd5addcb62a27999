import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { hookNamed, loadReport, NEW_REPORT, OLD_REPORT } from './report-fixtures.js';

// What the page says in cases the browser test's report does not have; the browser test checks
// how it behaves.
describe('renderHtml', () => {
  it('is one self-contained document: no URL it would load, a CSP that forbids loading any', () => {
    const page = renderHtml(loadReport(NEW_REPORT));
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/<script\b[^>]*\bsrc=/i);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;; img-src &#39;none&#39;/);
  });

  it('groups files by class and separates changes kept from discarded', () => {
    const page = renderHtml(loadReport(OLD_REPORT));
    const generator = page.slice(page.indexOf('id="pkg-hookbox-fixtures-postinstall-generates-file"'));
    const section = generator.slice(0, generator.indexOf('</article>'));
    expect(section).toContain('own package directory');
    expect(section).toMatch(/Changes kept \([1-9]\d*\)/);
    expect(section).toContain('Changes discarded (0)');
    const writer = renderHtml(loadReport(NEW_REPORT));
    const outside = writer.slice(writer.indexOf('id="pkg-hookbox-fixtures-postinstall-writes-outside"'));
    for (const heading of ['own package directory', 'other packages', 'node_modules/.bin', 'project files', 'home directory', 'temporary files']) expect(outside).toContain(heading);
  });

  it('says when a hook failed, ran untraced, or nothing ran', () => {
    const report = loadReport(NEW_REPORT);
    const hook = hookNamed(report, 'postinstall-runs-curl');
    hook.status = 'failed';
    hook.exitCode = 7;
    hook.trace.recorded = false;
    const page = renderHtml(report);
    expect(page).toContain('data-status="failed"');
    expect(page).toContain('exit 7');
    expect(page).toContain('No trace was recorded for this hook');
    const empty = loadReport(OLD_REPORT);
    empty.hooks = [];
    expect(renderHtml(empty)).toContain('This install ran no hooks.');
  });
});
