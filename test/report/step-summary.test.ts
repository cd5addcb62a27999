import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepSummaryFile } from '../../src/report/step-summary.js';
import { fixtureProject, requireTool } from '../support/project.js';
import { makeHome, registryEnv, runHookbox } from '../support/run-cli.js';

beforeAll(() => {
  requireTool('bwrap');
  requireTool('strace');
  requireTool('curl');
});

const HEADING = '### hookbox: 1 blocked of 1 install hook(s)';
const count = (text: string, part: string): number => text.split(part).length - 1;

describe('the Markdown report in the GitHub Actions step summary', () => {
  it('is appended by install in CI and by ci, after what earlier steps wrote, and not by install outside CI', async () => {
    const project = await fixtureProject(['postinstall-runs-curl']);
    const summary = path.join(await mkdtemp(path.join(os.tmpdir(), 'hookbox-step-summary-')), 'step_summary.md');
    await writeFile(summary, '## Build\n\nearlier step\n');
    const home = await makeHome();

    const install = await runHookbox(['install'], { cwd: project, env: registryEnv(home, { CI: 'true', GITHUB_STEP_SUMMARY: summary }) });
    expect(install.exitCode, install.stderr).toBe(3);
    let text = await readFile(summary, 'utf8');
    expect(text.startsWith('## Build\n\nearlier step\n')).toBe(true);
    expect(count(text, HEADING)).toBe(1);
    expect(text).toMatch(/hookbox approve @hookbox-fixtures\/postinstall-runs-curl --from \.hookbox\/reports\/[\w-]+\.json/);

    // `hookbox ci` needs no CI variable.
    const ci = await runHookbox(['ci'], { cwd: project, env: registryEnv(home, { GITHUB_STEP_SUMMARY: summary }) });
    expect(ci.exitCode, ci.stderr).toBe(3);
    text = await readFile(summary, 'utf8');
    expect(count(text, HEADING)).toBe(2);

    // A developer's shell that happens to export the variable is left alone.
    const local = await runHookbox(['install'], { cwd: project, env: registryEnv(home, { GITHUB_STEP_SUMMARY: summary }) });
    expect(local.exitCode, local.stderr).toBe(3);
    expect(count(await readFile(summary, 'utf8'), HEADING)).toBe(2);
  });

  it('an unwritable step summary is a warning, not a different install outcome', async () => {
    const project = await fixtureProject(['postinstall-runs-curl']);
    const home = await makeHome();
    const first = await runHookbox(['install'], { cwd: project, env: registryEnv(home) });
    expect(first.exitCode, first.stderr).toBe(3);
    const run = await runHookbox(['ci'], { cwd: project, env: registryEnv(home, { GITHUB_STEP_SUMMARY: '/nonexistent-hookbox-dir/summary.md' }) });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.stderr).toContain('warning: could not append the report to GITHUB_STEP_SUMMARY (/nonexistent-hookbox-dir/summary.md)');
    expect(run.report?.summary.blocked).toBe(1);
  });
});

describe('stepSummaryFile', () => {
  it('names the file for ci always, for other commands only when CI is set', () => {
    expect(stepSummaryFile('ci', { GITHUB_STEP_SUMMARY: '/s' })).toBe('/s');
    expect(stepSummaryFile('install', { GITHUB_STEP_SUMMARY: '/s' })).toBeUndefined();
    expect(stepSummaryFile('install', { GITHUB_STEP_SUMMARY: '/s', CI: 'true' })).toBe('/s');
    expect(stepSummaryFile('install', { GITHUB_STEP_SUMMARY: '/s', CI: 'false' })).toBeUndefined();
    expect(stepSummaryFile('ci', {})).toBeUndefined();
    expect(stepSummaryFile('ci', { GITHUB_STEP_SUMMARY: '' })).toBeUndefined();
  });
});
