import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { registryNpmEnv } from './npm-env.js';
import { copyFixtureProject, fixture, fixtureDependencies, makeProject } from './project.js';

// The global setup's registry is real: npm can install a published fixture from it.
describe('local registry', () => {
  it('serves a published fixture to a real npm install', async () => {
    const project = await makeProject(fixtureDependencies('plain-lib'));
    const env = registryNpmEnv();
    await execa('npm', ['install', '--ignore-scripts'], { cwd: project, env, extendEnv: false });
    const manifest = JSON.parse(await readFile(path.join(project, 'node_modules', fixture('plain-lib'), 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe(fixture('plain-lib'));
    const lock = await readFile(path.join(project, 'package-lock.json'), 'utf8');
    expect(lock).toContain(`${inject('registryUrl')}${fixture('plain-lib')}/-/plain-lib-1.0.0.tgz`);
  });

  it('has nothing but the fixtures (no uplink to the public registry)', async () => {
    const view = await execa('npm', ['view', 'left-pad', 'version'], { env: registryNpmEnv(), extendEnv: false, reject: false });
    expect(view.exitCode).not.toBe(0);
    expect(view.stderr).toContain('E404');
  });

  it('copies a fixture project without .npmrc or lockfile', async () => {
    const project = await copyFixtureProject('demo');
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('hookbox-demo');
  });
});
