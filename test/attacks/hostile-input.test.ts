import { execa } from 'execa';
import { access, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBackend, SANDBOX_BACKENDS, sandboxArgs } from '../support/backends.js';
import { registryNpmEnv } from '../support/npm-env.js';
import { allow, fixture, fixtureProject, makeProject } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox } from '../support/run-cli.js';
import { snapshotTree } from '../support/tree-snapshot.js';

// Hostile or broken input never crashes hookbox or leaves node_modules half-written: it gets a
// clear error (exit 2, a code, the file at fault) or a correct result.

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

const MiB = 1024 * 1024;

describe.each(SANDBOX_BACKENDS)('hostile hook output (%s sandbox)', (backend) => {
  beforeAll(() => requireBackend(backend));

  it('file names with newlines, quotes and shell syntax are kept byte for byte; a non-UTF-8 name is reported and left out, not a crash', async () => {
    const project = await fixtureProject(['postinstall-odd-file-names'], allow('postinstall-odd-file-names'));
    const run = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env: registryEnv(await makeHome()) });
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = path.join(project, 'node_modules', fixture('postinstall-odd-file-names'), 'odd');
    const names = await readdir(dir);
    for (const name of ['new\nline.txt', 'quote"double.txt', "quote'single.txt", 'back\\slash.txt', ' leading space', '-rf', '$(touch pwned).txt', 'tab\there.txt', 'carriage\rreturn.txt', 'esc\u001b[31mred.txt', 'unicodé-☃.txt']) {
      expect(names, JSON.stringify(name)).toContain(name);
      expect(await readFile(path.join(dir, name), 'utf8')).toBe(name);
    }
    expect(await exists(path.join(project, 'pwned'))).toBe(false);
    // A name that is not UTF-8 cannot be carried faithfully: it is reported, escaped, and not
    // committed, and the hook's other results are kept.
    const hook = hookOf(run.report, fixture('postinstall-odd-file-names'));
    expect(hook.changes.find((change) => change.path.endsWith('odd/latin1-\\xe9\\xff\\xfe.txt'))).toMatchObject({ kept: false, reason: expect.stringContaining('not UTF-8') });
    expect((await readdir(dir, { encoding: 'buffer' })).some((name) => name.includes(Buffer.from([0xff])))).toBe(false);
    expect(hook.changes.filter((change) => change.kept).length).toBe(12); // odd/ and its 11 files
  });

  it('64 MiB of stdout and 16 MiB of stderr are capped in the report and counted', async () => {
    const project = await fixtureProject(['postinstall-floods-output'], allow('postinstall-floods-output'));
    const run = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env: registryEnv(await makeHome()) });
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    const hook = hookOf(run.report, fixture('postinstall-floods-output'));
    expect(hook.stdout).toMatchObject({ bytes: 64 * MiB, truncated: true });
    expect(hook.stderr).toMatchObject({ bytes: 16 * MiB, truncated: true });
    expect(hook.stdout.text.length).toBeLessThanOrEqual(MiB);
    const reports = path.join(project, '.hookbox/reports');
    const [report] = await readdir(reports);
    expect((await stat(path.join(reports, report as string))).size).toBeLessThan(8 * MiB);
    // hookbox's own terminal output stays readable too.
    expect(run.stderr.length).toBeLessThan(MiB);
  });
});

describe.each(SANDBOX_BACKENDS)('hostile project files (%s sandbox)', (backend) => {
  beforeAll(() => requireBackend(backend));
  const env = async (): Promise<Record<string, string>> => registryEnv(await makeHome());

  it('a malformed package.json stops the install before anything is installed', async () => {
    const project = await makeProject({});
    await writeFile(path.join(project, 'package.json'), '{ "name": "x", "dependencies": { ');
    const run = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env: await env() });
    expect(run.exitCode).not.toBe(0);
    expect(run.exitCode).not.toBe(6);
    expect(run.stderr).toContain('package.json');
    expect(await exists(path.join(project, 'node_modules'))).toBe(false);
  });

  it.each(['../../escape', '@hookbox-fixtures/../../escape', '/etc/passwd'])('a dependency named %j is refused by npm before anything is installed', async (name) => {
    const project = await makeProject({ [name]: '1.0.0' });
    const run = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env: await env() });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('ERR_HOOKBOX_PM_FAILED');
    expect(await exists(path.join(project, 'node_modules'))).toBe(false);
  });

  it('a malformed lockfile is named with its file and leaves node_modules as it was', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], allow('postinstall-generates-file'));
    await execa('npm', ['install', '--ignore-scripts'], { cwd: project, env: registryNpmEnv(), extendEnv: false });
    for (const text of ['{ "lockfileVersion": 3, "packages": ', '[1, 2, 3]', '{ "lockfileVersion": 3, "packages": { "node_modules/x": "not an object" } }', '{ "lockfileVersion": "3", "packages": {} }']) {
      await writeFile(path.join(project, 'package-lock.json'), text);
      const before = await snapshotTree(path.join(project, 'node_modules'));
      const run = await runHookbox([...sandboxArgs(backend), 'rebuild'], { cwd: project, env: await env() });
      expect(run.exitCode, `${text}\n${run.stderr}`).toBe(2);
      expect(run.stderr).toContain('ERR_HOOKBOX_LOCKFILE');
      expect(run.stderr).toContain(path.join(project, 'package-lock.json'));
      expect(await snapshotTree(path.join(project, 'node_modules'))).toEqual(before);
    }
  });

  it('lockfile locations that try path tricks are never planned or run', async () => {
    // <root>/project, and next to it the packages the tricks point at.
    const root = await mkdtemp(path.join(os.tmpdir(), 'hookbox-lock-tricks-'));
    const project = path.join(root, 'project');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'tricks', version: '1.0.0', dependencies: { [fixture('plain-lib')]: '^1.0.0' } }));
    await execa('npm', ['install', '--ignore-scripts'], { cwd: project, env: registryNpmEnv(), extendEnv: false });
    // Packages with a postinstall outside node_modules' normal layout, reachable only through
    // the tricks below; each would leave ran-<n> in the project if it ran.
    const tricks = ['node_modules/../../escape', path.join(root, 'absolute'), 'node_modules/@hookbox-fixtures/..', 'node_modules/./dot', 'node_modules\\back'];
    const lock = JSON.parse(await readFile(path.join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    for (const [index, location] of tricks.entries()) {
      lock.packages[location] = { version: '1.0.0', hasInstallScript: true };
      const dir = path.resolve(project, location);
      if (!dir.startsWith(root)) continue;
      await mkdir(dir, { recursive: true }).catch(() => undefined);
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'trick', version: '1.0.0', scripts: { postinstall: `touch ${path.join(project, `ran-${index}`)}` } })).catch(() => undefined);
    }
    await writeFile(path.join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const run = await runHookbox([...sandboxArgs(backend), 'rebuild'], { cwd: project, env: await env() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report?.hooks.map((hook) => hook.package.path)).toEqual([]);
    for (const index of tricks.keys()) expect(await exists(path.join(project, `ran-${index}`))).toBe(false);
  });

  it.each([
    ['a __proto__ entry', '{ "version": 1, "packages": { "__proto__": { "write": ["**"] } } }'],
    ['a write grant that leaves the project', '{ "version": 1, "packages": { "@hookbox-fixtures/plain-lib@*": { "write": ["../../home/**"] } } }'],
    ['an absolute write grant', '{ "version": 1, "packages": { "@hookbox-fixtures/plain-lib@*": { "write": ["/etc/**"] } } }'],
    ['deep nesting', `{ "version": 1, "packages": ${'['.repeat(5000)}${']'.repeat(5000)} }`],
    ['a wrong version', '{ "version": 99, "packages": {} }'],
    ['binary garbage', '\u0000\u00ff\u00fe{{{'],
  ])('a policy with %s is refused before npm runs, naming the file', async (_label, text) => {
    const project = await fixtureProject(['plain-lib']);
    await writeFile(path.join(project, 'hookbox.policy.json'), text);
    const run = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env: await env() });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain('ERR_HOOKBOX_POLICY');
    expect(run.stderr).toContain('hookbox.policy.json');
    expect(await exists(path.join(project, 'node_modules'))).toBe(false);
  });

  it('an installed package.json that lies about its name and carries odd scripts is judged by its lockfile identity', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], allow('postinstall-generates-file'));
    await execa('npm', ['install', '--ignore-scripts'], { cwd: project, env: registryNpmEnv(), extendEnv: false });
    const manifestFile = path.join(project, 'node_modules', fixture('postinstall-generates-file'), 'package.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
    // It claims to be an approved package elsewhere, and adds scripts of the wrong type.
    await writeFile(manifestFile, JSON.stringify({ ...manifest, name: '../../../evil', scripts: { ...(manifest['scripts'] as object), preinstall: 42, install: ['rm', '-rf', '/'] } }));
    const run = await runHookbox([...sandboxArgs(backend), 'rebuild'], { cwd: project, env: await env() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report?.hooks.map((hook) => `${hook.package.name} ${hook.event}`)).toEqual([`${fixture('postinstall-generates-file')} postinstall`]);
  });
});
