import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseInvocation } from '../../src/pm/choose-invocation.js';

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-choose-'));
  await writeFile(path.join(dir, 'package.json'), '{}');
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

const choose = (command: string, rest: string[], dir: string) => chooseInvocation(command, rest, dir, process.env, process.execPath);

describe('chooseInvocation', () => {
  it('maps npm-style commands onto Yarn 1 in a Yarn 1 project', async () => {
    const dir = await project({ 'yarn.lock': '# yarn lockfile v1\n' });
    expect(await choose('install', [], dir)).toMatchObject({ manager: 'yarn-classic', command: 'install', runsRootScripts: true });
    expect(await choose('install', ['left-pad', '-D'], dir)).toMatchObject({ manager: 'yarn-classic', command: 'add', args: ['left-pad', '-D'] });
    expect(await choose('ci', [], dir)).toMatchObject({ command: 'install', args: ['--frozen-lockfile'] });
    expect(await choose('update', [], dir)).toMatchObject({ command: 'upgrade' });
    expect(await choose('rebuild', [], dir)).toMatchObject({ installs: false, runsRootScripts: false });
  });

  it('uses --immutable for ci under Berry', async () => {
    const dir = await project({ 'yarn.lock': '__metadata:\n  version: 8\n' });
    expect(await choose('ci', [], dir)).toMatchObject({ manager: 'yarn-berry', args: ['--immutable'] });
  });

  it('honours an explicit hookbox npm … whatever the lockfile says', async () => {
    const dir = await project({ 'yarn.lock': '# yarn lockfile v1\n' });
    expect(await choose('npm', ['ci'], dir)).toMatchObject({ manager: 'npm', command: 'ci' });
    expect(await choose('npm', [], dir)).toMatchObject({ manager: 'npm', command: 'install' });
    expect(await choose('yarn', ['add', 'x'], dir)).toMatchObject({ manager: 'yarn-classic', command: 'add', args: ['x'] });
  });

  it('keeps npm projects on npm', async () => {
    expect(await choose('install', ['x'], await project({ 'package-lock.json': '{}' }))).toMatchObject({ manager: 'npm', command: 'install', args: ['x'] });
  });
});
