import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRequest } from '../../src/sandbox/backend.js';
import { BwrapBackend } from '../../src/sandbox/bwrap/bwrap-backend.js';
import { requireTool } from '../support/project.js';

beforeAll(() => {
  requireTool('bwrap');
});

async function projectWithPackage(): Promise<string> {
  const project = await mkdtemp(path.join(os.tmpdir(), 'hookbox-scratch-test-'));
  await mkdir(path.join(project, 'node_modules/pkg/lib'), { recursive: true });
  await writeFile(path.join(project, 'node_modules/pkg/lib/old.js'), 'old\n');
  await writeFile(path.join(project, 'node_modules/pkg/keep.js'), 'keep\n');
  return project;
}

function request(project: string, script: string): SandboxRequest {
  return {
    projectDir: project,
    cwd: path.join(project, 'node_modules/pkg'),
    argv: ['/bin/sh', '-c', script],
    env: { PATH: '/usr/bin:/bin' },
    hiddenProjectFiles: [],
    readOnlyDirs: [],
    network: false,
    timeoutMs: 30_000,
    outputLimitBytes: 4096,
    traceFile: undefined,
    traceLimitBytes: 1024 * 1024,
    signal: undefined,
  };
}

describe('the bwrap scratch layer', () => {
  it('lists what a command added, modified and deleted, and leaves the project untouched', async () => {
    const project = await projectWithPackage();
    const run = await new BwrapBackend().run(request(project, 'echo new > new.js && echo changed > keep.js && rm lib/old.js'));
    try {
      expect(run.exitCode).toBe(0);
      const changes = Object.fromEntries(run.scratch.changes.map((change) => [change.path, change.kind]));
      expect(changes).toMatchObject({ 'node_modules/pkg/new.js': 'added', 'node_modules/pkg/keep.js': 'modified', 'node_modules/pkg/lib/old.js': 'deleted' });
      expect(await readFile(path.join(project, 'node_modules/pkg/keep.js'), 'utf8')).toBe('keep\n');
    } finally {
      await run.scratch.dispose();
    }
  });

  it('sees through a directory that was removed and made again (an opaque overlay directory)', async () => {
    const project = await projectWithPackage();
    const run = await new BwrapBackend().run(request(project, 'rm -rf lib && mkdir lib && echo fresh > lib/fresh.js'));
    try {
      expect(run.exitCode).toBe(0);
      const changes = Object.fromEntries(run.scratch.changes.map((change) => [change.path, change.kind]));
      // The old file is gone from the recreated directory even though no whiteout names it.
      expect(changes).toMatchObject({ 'node_modules/pkg/lib/old.js': 'deleted', 'node_modules/pkg/lib/fresh.js': 'added' });
    } finally {
      await run.scratch.dispose();
    }
  });
});
