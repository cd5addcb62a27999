import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planHooks } from '../../src/plan/plan-hooks.js';

async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(data));
}

// A real installed tree on disk (package.json files and a lockfile), as npm leaves it.
async function tree(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-plan-'));
  await writeJson(path.join(dir, 'package.json'), { name: 'app', version: '1.0.0', scripts: { prepare: 'echo prep', test: 'x' } });
  await writeJson(path.join(dir, 'node_modules/a/package.json'), { name: 'a', version: '1.0.0', scripts: { postinstall: 'node a.js', preinstall: 'echo pre' } });
  await writeJson(path.join(dir, 'node_modules/gyp/package.json'), { name: 'gyp', version: '2.0.0' });
  await writeFile(path.join(dir, 'node_modules/gyp/binding.gyp'), '{}');
  await writeJson(path.join(dir, 'node_modules/gyp-own/package.json'), { name: 'gyp-own', version: '1.0.0', scripts: { preinstall: 'echo own' } });
  await writeFile(path.join(dir, 'node_modules/gyp-own/binding.gyp'), '{}');
  await writeJson(path.join(dir, 'node_modules/a/node_modules/b/package.json'), { name: 'evil-claims-another-name', version: '9.9.9', scripts: { install: 'echo b' } });
  await writeJson(path.join(dir, 'package-lock.json'), {
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0' },
      'node_modules/a': { version: '1.0.0', resolved: 'http://r/a-1.0.0.tgz', integrity: 'sha512-a', hasInstallScript: true },
      // hasInstallScript false, yet a binding.gyp makes npm run node-gyp rebuild
      'node_modules/gyp': { version: '2.0.0', integrity: 'sha512-g' },
      'node_modules/gyp-own': { version: '1.0.0', hasInstallScript: true },
      'node_modules/a/node_modules/b': { version: '1.0.1', resolved: 'http://r/b-1.0.1.tgz', integrity: 'sha512-b' },
      'node_modules/missing-optional': { version: '1.0.0', optional: true },
      'node_modules/../../escape': { version: '1.0.0' },
    },
  });
  return dir;
}

describe('planHooks', () => {
  it('finds every install-time hook in npm order, with lockfile identity', async () => {
    const dir = await tree();
    const hooks = await planHooks(dir, { includeRoot: true });
    expect(hooks.map((hook) => hook.id)).toEqual([
      'node_modules/a#preinstall',
      'node_modules/gyp-own#preinstall',
      'node_modules/gyp#install',
      'node_modules/a/node_modules/b#install',
      'node_modules/a#postinstall',
      '.#prepare',
    ]);
    const gyp = hooks.find((hook) => hook.id === 'node_modules/gyp#install');
    expect(gyp).toMatchObject({ script: 'node-gyp rebuild', implicit: 'node-gyp', package: { name: 'gyp', integrity: 'sha512-g' } });
    // Identity comes from the lockfile, not from the package.json inside the tarball.
    const b = hooks.find((hook) => hook.id === 'node_modules/a/node_modules/b#install');
    expect(b?.package).toEqual({ name: 'b', version: '1.0.1', path: 'node_modules/a/node_modules/b', resolved: 'http://r/b-1.0.1.tgz', integrity: 'sha512-b' });
    expect(b?.scriptSha256).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('leaves out the root project scripts when npm would not run them', async () => {
    const hooks = await planHooks(await tree(), { includeRoot: false });
    expect(hooks.some((hook) => hook.isRoot)).toBe(false);
  });

  it('names the malformed package.json it could not read', async () => {
    const dir = await tree();
    await writeFile(path.join(dir, 'node_modules/a/package.json'), '{"name": ');
    await expect(planHooks(dir, { includeRoot: false })).rejects.toMatchObject({
      code: 'ERR_HOOKBOX_MANIFEST',
      message: expect.stringContaining(path.join(dir, 'node_modules/a/package.json')),
    });
  });
});
