import { execa } from 'execa';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { allow, fixtureProject, FIXTURE_SCOPE as FIXTURES, requireTool } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox } from '../support/run-cli.js';
import { makeYarnProject, yarnAvailable, yarnEnv } from '../support/yarn.js';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

// Shims in a fresh directory, and an environment with that directory first on PATH.
async function shimmed(env: Record<string, string>): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-shims-'));
  const run = await runHookbox(['shim', 'install', '--dir', dir], { cwd: dir, env });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toContain(`export PATH='${dir}':"$PATH"`);
  return { dir, env: { ...env, PATH: `${dir}:${env['PATH'] ?? ''}` } };
}

async function both(command: string, args: string[], cwd: string, plain: Record<string, string>, viaShim: Record<string, string>) {
  const run = (env: Record<string, string>) => execa(command, args, { cwd, env, extendEnv: false, reject: false });
  const [real, shim] = await Promise.all([run(plain), run(viaShim)]);
  return { real: { stdout: real.stdout, stderr: real.stderr, exitCode: real.exitCode }, shim: { stdout: shim.stdout, stderr: shim.stderr, exitCode: shim.exitCode } };
}

beforeAll(() => {
  requireTool('bwrap');
  requireTool('strace');
});

describe('hookbox shim', () => {
  it('makes a plain `npm install` sandbox every hook: generated file kept, outside writes blocked', async () => {
    const names = ['postinstall-generates-file', 'postinstall-writes-outside'];
    const project = await fixtureProject(names, allow(...names));
    const home = await makeHome();
    const { env } = await shimmed(registryEnv(home));
    const install = await execa('npm', ['install'], { cwd: project, env, extendEnv: false, reject: false, all: true });
    expect(install.exitCode, install.all).toBe(3);
    const reportFile = /hookbox: report written to (\S+)/.exec(String(install.all))?.[1];
    expect(reportFile, install.all).toBeDefined();
    const report = JSON.parse(await readFile(path.resolve(project, reportFile as string), 'utf8')) as Report;
    expect(hookOf(report, `${FIXTURES}/postinstall-generates-file`).status).toBe('allowed');
    expect(hookOf(report, `${FIXTURES}/postinstall-writes-outside`).status).toBe('blocked');
    expect(await exists(path.join(project, 'node_modules', FIXTURES, 'postinstall-generates-file/generated.js'))).toBe(true);
    expect(await exists(path.join(project, 'node_modules', FIXTURES, 'postinstall-writes-outside/own-evidence.txt'))).toBe(false);
    expect(await exists(path.join(project, 'node_modules/.bin/hookbox-hijack'))).toBe(false);
    expect(await exists(path.join(home, '.hookbox-evidence-home'))).toBe(false);
  });

  it('passes every other npm command to the real npm: same stdout, stderr and exit code', async () => {
    const project = await fixtureProject(['plain-lib']);
    const plain = registryEnv(await makeHome(), { npm_config_logs_max: '0' });
    const { env } = await shimmed(plain);
    for (const args of [['--version'], ['config', 'get', 'registry'], ['run', 'no-such-script'], ['view', `${FIXTURES}/no-such-package`], ['view', `${FIXTURES}/plain-lib`, 'version']]) {
      const { real, shim } = await both('npm', args, project, plain, env);
      expect(shim, `npm ${args.join(' ')}`).toEqual(real);
    }
    // And one that fails: the exit code is npm's own.
    expect((await both('npm', ['run', 'no-such-script'], project, plain, env)).shim.exitCode).toBe(1);
    expect(await exists(path.join(project, '.hookbox'))).toBe(false);
  });

  it.skipIf(!yarnAvailable())('routes a bare `yarn` through hookbox and passes `yarn --version` and unknown commands to the real Yarn', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], allow('postinstall-generates-file'));
    await makeYarnProject(project, 'classic');
    const plain = yarnEnv(await makeHome());
    const { env } = await shimmed(plain);
    for (const args of [['--version'], ['no-such-command'], ['config', 'get', 'registry']]) {
      const { real, shim } = await both('yarn', args, project, plain, env);
      expect(shim, `yarn ${args.join(' ')}`).toEqual(real);
    }
    const install = await execa('yarn', [], { cwd: project, env, extendEnv: false, reject: false, all: true });
    expect(install.exitCode, install.all).toBe(0);
    expect(install.all).toContain('allowed @hookbox-fixtures/postinstall-generates-file@1.0.0 postinstall');
    expect(await exists(path.join(project, 'node_modules', FIXTURES, 'postinstall-generates-file/generated.js'))).toBe(true);
  });

  it('removes only its own shims', async () => {
    const home = await makeHome();
    const { dir } = await shimmed(registryEnv(home));
    await writeFile(path.join(dir, 'other'), '#!/bin/sh\n');
    const removed = await runHookbox(['shim', 'remove', '--dir', dir], { cwd: dir, env: registryEnv(home) });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(await exists(path.join(dir, 'npm'))).toBe(false);
    expect(await exists(path.join(dir, 'yarn'))).toBe(false);
    expect(await readFile(path.join(dir, 'other'), 'utf8')).toBe('#!/bin/sh\n');
  });

  it('refuses to overwrite a file that is not its shim', async () => {
    const home = await makeHome();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-shims-'));
    await writeFile(path.join(dir, 'npm'), '#!/bin/sh\necho mine\n');
    const run = await runHookbox(['shim', 'install', '--dir', dir], { cwd: dir, env: registryEnv(home) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('ERR_HOOKBOX_USAGE');
    expect(await readFile(path.join(dir, 'npm'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });
});
