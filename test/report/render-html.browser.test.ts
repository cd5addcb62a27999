import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { REPO_ROOT, requireTool } from '../support/project.js';
import { makeHome, registryEnv, runHookbox } from '../support/run-cli.js';

// The HTML report of a real install (fixtures/reports/new.json, made by
// scripts/report-fixtures.mjs), written by the built CLI and opened in Debian's chromium.
// postinstall-hostile-names in it named files, ran a program and printed output that are markup
// which would set window.__pwned if the page rendered them as HTML.
const REPORT = path.join(REPO_ROOT, 'fixtures/reports/new.json');
const HOSTILE = '@hookbox-fixtures/postinstall-hostile-names';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

let browser: Browser;
let page: Page;
let htmlFile: string;
let report: Report;
const requests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  requireTool('chromium');
  report = JSON.parse(await readFile(REPORT, 'utf8')) as Report;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-html-'));
  htmlFile = path.join(dir, 'report.html');
  const run = await runHookbox(['report', REPORT, '--format', 'html', '--out', htmlFile], { cwd: dir, env: registryEnv(await makeHome()) });
  expect(run.exitCode, run.stderr).toBe(0);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(pathToFileURL(htmlFile).href);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const section = (name: string): ReturnType<Page['locator']> => page.locator('section.hook', { has: page.locator('h3', { hasText: name }) });

describe('the HTML report in a real browser', () => {
  it('renders the summary and one section per hook, loading nothing but itself', async () => {
    expect(await page.title()).toContain('5 blocked');
    const cards = await page.locator('#summary .card').allInnerTexts();
    expect(cards.map((card) => card.replace(/\s+/g, ' ').trim())).toEqual(expect.arrayContaining(['6 hooks run', '1 allowed', '5 blocked', '0 failed', '0 cached']));
    expect(await page.locator('section.hook').count()).toBe(report.hooks.length);
    await expect.poll(() => section('postinstall-runs-curl').locator('.violations').innerText()).toContain('network');
    expect(await section('postinstall-runs-curl').innerText()).toContain('connect 127.0.0.1:9');
    expect(await section('postinstall-runs-curl').locator('ul.tree').innerText()).toContain('curl -s -m 2 http://127.0.0.1:9/hookbox-canary');
    expect(requests).toEqual([pathToFileURL(htmlFile).href]);
    expect(consoleErrors).toEqual([]);
  });

  it('shows each blocked hook the exact hookbox approve command', async () => {
    for (const hook of report.hooks.filter((entry) => entry.status === 'blocked')) {
      const approve = section(hook.package.name.split('/')[1] as string).locator('pre.approve');
      expect(await approve.innerText()).toBe(`hookbox approve ${hook.package.name} --from ${REPORT}`);
    }
    expect(await section('postinstall-generates-file').locator('pre.approve').count()).toBe(0);
  });

  it('shows hostile file names, argv and output as text and runs none of it', async () => {
    const hostile = section('postinstall-hostile-names');
    const text = await hostile.innerText();
    expect(text).toContain('<img src=x onerror=window.__pwned=1>');
    expect(text).toContain('"><svg onload=window.__pwned=2>.txt');
    expect(text).toContain('<script>window.__pwned=3</script>');
    expect(await hostile.locator('pre.stdout').innerText()).toBe('</pre><script>window.__pwned=4</script><pre>\n');
    expect(await hostile.locator('pre.stderr').innerText()).toContain('</code></details><img src=x onerror=window.__pwned=5>');
    // No element the package's strings describe exists; the page's own filter script is the only script.
    expect(await page.locator('img, svg, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it('filters hooks by status', async () => {
    const blocked = page.locator('section.hook[data-status="blocked"]');
    const allowed = page.locator('section.hook[data-status="allowed"]');
    await expect.poll(() => blocked.first().isVisible()).toBe(true);
    await page.uncheck('#filter-blocked');
    expect(await blocked.evaluateAll((nodes) => nodes.filter((node) => (node as HTMLElement).offsetParent !== null).length)).toBe(0);
    expect(await allowed.first().isVisible()).toBe(true);
    expect(await page.locator('table.index tr[data-status="blocked"]').first().isVisible()).toBe(false);
    await page.uncheck('#filter-allowed');
    expect(await page.locator('article.package:visible').count()).toBe(0);
    await page.check('#filter-allowed');
    await page.check('#filter-blocked');
    expect(await page.locator('section.hook:visible').count()).toBe(report.hooks.length);
  });

  it('has an anchor per package that the index links to, and following it reveals a filtered hook', async () => {
    const packageIds = await page.locator('article.package').evaluateAll((nodes) => nodes.map((node) => node.id));
    expect(new Set(packageIds).size).toBe(report.hooks.length);
    expect(packageIds).toContain('pkg-hookbox-fixtures-postinstall-hostile-names');
    await page.uncheck('#filter-blocked');
    await page.evaluate(() => {
      location.hash = '#pkg-hookbox-fixtures-postinstall-hostile-names';
    });
    await expect.poll(() => section('postinstall-hostile-names').isVisible()).toBe(true);
    expect(await page.isChecked('#filter-blocked')).toBe(true);
    await page.locator('table.index a', { hasText: 'postinstall-runs-curl' }).click();
    await expect.poll(() => section('postinstall-runs-curl').isVisible()).toBe(true);
    expect(page.url()).toMatch(/#hook-hookbox-fixtures-postinstall-runs-curl-1-0-0-postinstall$/);
  });

  it('leaves a screenshot for people to look at', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    const file = path.join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect((await readFile(file)).subarray(1, 4).toString()).toBe('PNG');
  });
});
