import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPackageManager } from '../../src/pm/detect-package-manager.js';

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-detect-'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

describe('detectPackageManager', () => {
  it('takes the packageManager field first', async () => {
    expect((await detectPackageManager(await project({ 'package.json': '{"packageManager":"yarn@4.5.0+sha512.abc"}', 'package-lock.json': '{}' }))).kind).toBe('yarn-berry');
    expect((await detectPackageManager(await project({ 'package.json': '{"packageManager":"yarn@1.22.22"}' }))).kind).toBe('yarn-classic');
    expect((await detectPackageManager(await project({ 'package.json': '{"packageManager":"npm@10.8.0"}', 'yarn.lock': '' }))).kind).toBe('npm');
  });

  it('tells the two yarn.lock formats apart, and falls back to npm', async () => {
    expect((await detectPackageManager(await project({ 'package.json': '{}', 'yarn.lock': '# yarn lockfile v1\n' }))).kind).toBe('yarn-classic');
    expect((await detectPackageManager(await project({ 'package.json': '{}', 'yarn.lock': '__metadata:\n  version: 8\n' }))).kind).toBe('yarn-berry');
    expect((await detectPackageManager(await project({ 'package.json': '{}', '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.5.0.cjs\n' }))).kind).toBe('yarn-berry');
    // hookbox init writes enableScripts into .yarnrc.yml of npm projects too.
    expect((await detectPackageManager(await project({ 'package.json': '{}', '.yarnrc.yml': 'enableScripts: false\n' }))).kind).toBe('npm');
    expect((await detectPackageManager(await project({ 'package.json': '{}' }))).kind).toBe('npm');
  });

  it('refuses a malformed or foreign packageManager field with a clear code', async () => {
    await expect(detectPackageManager(await project({ 'package.json': '{"packageManager":"yarn"}' }))).rejects.toMatchObject({ code: 'ERR_HOOKBOX_MANIFEST' });
    await expect(detectPackageManager(await project({ 'package.json': '{"packageManager":"pnpm@9.0.0"}' }))).rejects.toMatchObject({ code: 'ERR_HOOKBOX_USAGE' });
  });
});
