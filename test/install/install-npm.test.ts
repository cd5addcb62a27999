import { execa } from 'execa';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allow, fixtureProject, FIXTURE_SCOPE as FIXTURES, requireTool } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox } from '../support/run-cli.js';

const CANARY = 'CANARY-7f3a9c';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

beforeAll(() => {
  requireTool('bwrap');
  requireTool('strace');
});

describe('hookbox install (npm, bwrap sandbox)', () => {
  it('builds a native addon in the sandbox (implicit node-gyp rebuild) and it loads afterwards', async () => {
    const project = await fixtureProject(['native-addon'], allow('native-addon'));
    const home = await makeHome();
    const run = await runHookbox(['install'], { cwd: project, env: registryEnv(home) });
    expect(run.exitCode, run.stderr).toBe(0);
    const hook = hookOf(run.report, `${FIXTURES}/native-addon`);
    expect(hook).toMatchObject({ event: 'install', implicit: 'node-gyp', script: 'node-gyp rebuild', status: 'allowed' });
    const loaded = await execa(process.execPath, ['-e', `console.log(require('${FIXTURES}/native-addon').hello())`], { cwd: project });
    expect(loaded.stdout).toBe('native hello');
  });

  it('keeps a generated file inside the package and the package works', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], allow('postinstall-generates-file'));
    const run = await runHookbox(['install'], { cwd: project, env: registryEnv(await makeHome()) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await exists(path.join(project, 'node_modules', FIXTURES, 'postinstall-generates-file/generated.js'))).toBe(true);
    const hook = hookOf(run.report, `${FIXTURES}/postinstall-generates-file`);
    expect(hook.changes.find((change) => change.path.endsWith('generated.js'))).toMatchObject({ kind: 'added', kept: true });
  });

  it('hides host secrets (env, ~/.npmrc, ~/.ssh, ~/.aws, project .env/.npmrc) from a hook, even an approved one', async () => {
    const project = await fixtureProject(['postinstall-reads-secrets'], {
      [`${FIXTURES}/postinstall-reads-secrets@*`]: { read: ['/**'] },
    });
    await writeFile(path.join(project, '.env'), `SECRET=${CANARY}-dotenv\n`);
    await writeFile(path.join(project, '.npmrc'), `//example.invalid/:_authToken=${CANARY}-project-npmrc\n`);
    const home = await makeHome({
      '.npmrc': `//example.invalid/:_authToken=${CANARY}-home-npmrc\n`,
      '.ssh/id_rsa': `${CANARY}-ssh-key\n`,
      '.aws/credentials': `[default]\naws_secret_access_key=${CANARY}-aws\n`,
    });
    const env = registryEnv(home, {
      NPM_TOKEN: `${CANARY}-npm-token`,
      GITHUB_TOKEN: `${CANARY}-gh`,
      AWS_SECRET_ACCESS_KEY: `${CANARY}-aws-env`,
      HOOKBOX_CANARY: CANARY,
    });
    const run = await runHookbox(['install'], { cwd: project, env });
    expect(run.exitCode, run.stderr).toBe(0);
    // The hook wrote down everything it could see; it is kept because it is in its own dir.
    const seen = await readFile(path.join(project, 'node_modules', FIXTURES, 'postinstall-reads-secrets/seen.json'), 'utf8');
    expect(seen).not.toContain(CANARY);
    // And the attempt is on record.
    const hook = hookOf(run.report, `${FIXTURES}/postinstall-reads-secrets`);
    expect(hook.files.filter((file) => file.sensitive).map((file) => file.path)).toEqual(expect.arrayContaining(['/home/hookbox/.npmrc', `${project}/.env`]));
  });

  it('discards writes to $HOME, a sibling package, package.json, the lockfile and node_modules/.bin, and blocks the hook', async () => {
    const project = await fixtureProject(['postinstall-writes-outside', 'postinstall-generates-file'], allow('postinstall-writes-outside', 'postinstall-generates-file'));
    const home = await makeHome();
    await rm('/tmp/hookbox-evidence-tmp', { force: true });
    const packageJsonBefore = await readFile(path.join(project, 'package.json'), 'utf8');
    const run = await runHookbox(['install'], { cwd: project, env: registryEnv(home) });
    expect(run.exitCode, run.stderr).toBe(3);
    const hook = hookOf(run.report, `${FIXTURES}/postinstall-writes-outside`);
    expect(hook.status).toBe('blocked');
    expect(hook.violations.map((violation) => violation.rule)).toContain('write');
    const evidence = hook.violations.flatMap((violation) => violation.evidence).join('\n');
    expect(evidence).toContain('node_modules/.bin/hookbox-hijack');
    expect(evidence).toContain('package.json');
    // Nothing reached the host.
    expect(await readFile(path.join(project, 'package.json'), 'utf8')).toBe(packageJsonBefore);
    expect(await readFile(path.join(project, 'package-lock.json'), 'utf8')).not.toContain('tamper');
    expect(await readFile(path.join(project, 'node_modules', FIXTURES, 'postinstall-generates-file/index.js'), 'utf8')).not.toContain('tampered');
    expect(await exists(path.join(project, 'node_modules/.bin/hookbox-hijack'))).toBe(false);
    expect(await exists(path.join(home, '.hookbox-evidence-home'))).toBe(false);
    expect(await exists('/tmp/hookbox-evidence-tmp')).toBe(false);
    // A blocked hook keeps nothing, not even what it wrote in its own directory.
    expect(await exists(path.join(project, 'node_modules', FIXTURES, 'postinstall-writes-outside/own-evidence.txt'))).toBe(false);
  });

  it('kills a detached background process when the hook ends, records it and blocks the hook', async () => {
    const project = await fixtureProject(['postinstall-leaves-daemon'], allow('postinstall-leaves-daemon'));
    const run = await runHookbox(['install'], { cwd: project, env: registryEnv(await makeHome()) });
    expect(run.exitCode, run.stderr).toBe(3);
    const hook = hookOf(run.report, `${FIXTURES}/postinstall-leaves-daemon`);
    expect(hook.processes.some((process) => process.outlivedHook && process.argv.join(' ').includes('daemon.js'))).toBe(true);
    expect(hook.violations.map((violation) => violation.rule)).toContain('process-left-running');
    const survivors = await execa('pgrep', ['-f', 'postinstall-leaves-daemon'], { reject: false });
    expect(survivors.stdout.trim()).toBe('');
  });

  it('fails with exit 1 naming the package and event when a hook fails', async () => {
    const project = await fixtureProject(['hook-fails'], allow('hook-fails'));
    const run = await runHookbox(['install'], { cwd: project, env: registryEnv(await makeHome()) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`${FIXTURES}/hook-fails@1.0.0 postinstall`);
    expect(hookOf(run.report, `${FIXTURES}/hook-fails`)).toMatchObject({ status: 'failed', exitCode: 3 });
  });
});
