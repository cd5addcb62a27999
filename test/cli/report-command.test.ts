import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportDiff } from '../../src/report/diff-reports.js';
import { NEW_REPORT, OLD_REPORT } from '../report/report-fixtures.js';
import { makeHome, registryEnv, runHookbox, type CliRun } from '../support/run-cli.js';

// `hookbox report` and `hookbox diff` as a user runs them: the built CLI on real reports.
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-report-cli-'));
  env = registryEnv(await makeHome());
});
const hookbox = (...args: string[]): Promise<CliRun> => runHookbox(args, { cwd: dir, env });

describe('hookbox report', () => {
  it('prints the summary with the approve command of each blocked hook by default', async () => {
    const run = await hookbox('report', NEW_REPORT);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('BLOCKED @hookbox-fixtures/postinstall-runs-curl@1.0.0 postinstall');
    expect(run.stdout).toContain(`to allow it: hookbox approve @hookbox-fixtures/postinstall-runs-curl --from ${NEW_REPORT}`);
    expect(run.stdout).not.toContain('hookbox approve @hookbox-fixtures/postinstall-generates-file');
  });

  it('writes Markdown, HTML and JSON where --out says, inferring the format from the extension', async () => {
    const markdown = await hookbox('report', NEW_REPORT, '--format', 'markdown', '--out', 'summary.md');
    expect(markdown.exitCode, markdown.stderr).toBe(0);
    expect(markdown.stdout).toBe('');
    expect(markdown.stderr).toContain('wrote summary.md');
    expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toMatch(/^### hookbox: 5 blocked of 6 install hook\(s\)/);

    const html = await hookbox('report', NEW_REPORT, '--out=page.html');
    expect(html.exitCode, html.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'page.html'), 'utf8')).toMatch(/^<!doctype html>/);

    const json = await hookbox('report', NEW_REPORT, '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(await readFile(NEW_REPORT, 'utf8')));
  });

  it('refuses an unknown format, a missing file and a file that is not a report, saying what to do', async () => {
    const format = await hookbox('report', NEW_REPORT, '--format', 'pdf');
    expect(format.exitCode).toBe(2);
    expect(format.stderr).toContain('ERR_HOOKBOX_USAGE');
    expect(format.stderr).toContain('--format must be text, markdown, html, json');

    const missing = await hookbox('report');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('hookbox report needs a report file');

    await writeFile(path.join(dir, 'not-a-report.json'), '{"hello": 1}\n');
    const wrong = await hookbox('report', 'not-a-report.json', '--format', 'html', '--out', 'x.html');
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toContain('ERR_HOOKBOX_REPORT');
    await expect(readFile(path.join(dir, 'x.html'))).rejects.toThrow();
  });
});

describe('hookbox diff', () => {
  it('prints what the bump changed, as text by default and as Markdown or JSON on request', async () => {
    const text = await hookbox('diff', OLD_REPORT, NEW_REPORT);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('hooks added:');
    expect(text.stdout).toContain('@hookbox-fixtures/approved-then-changed 1.0.0 → 1.1.0');
    expect(text.stdout).toContain('+ node hook.js --fast');

    const markdown = await hookbox('diff', OLD_REPORT, NEW_REPORT, '--format', 'markdown');
    expect(markdown.stdout).toMatch(/^### hookbox diff: 4 → 6 install hook\(s\)/);

    const json = await hookbox('diff', OLD_REPORT, NEW_REPORT, '--format', 'json', '--out', 'diff.json');
    expect(json.exitCode, json.stderr).toBe(0);
    const diff = JSON.parse(await readFile(path.join(dir, 'diff.json'), 'utf8')) as ReportDiff;
    expect(diff.added.map((hook) => hook.name)).toHaveLength(3);
    expect(diff.verdictChanges).toHaveLength(1);
  });

  it('needs exactly two reports and has no HTML format', async () => {
    const one = await hookbox('diff', OLD_REPORT);
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toContain('hookbox diff takes two report files');
    const html = await hookbox('diff', OLD_REPORT, NEW_REPORT, '--format', 'html');
    expect(html.exitCode).toBe(2);
    expect(html.stderr).toContain('--format must be text, markdown, json');
  });
});
