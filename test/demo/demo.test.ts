import { execa } from 'execa';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, requireTool } from '../support/project.js';

// The README's first command: the demo checks its own outcome (approved hooks kept their
// results, the unlisted hook kept nothing, no canary reached a hook) and exits 0 only then.
it('npm run demo installs the demo project through hookbox and behaves as designed', async () => {
  requireTool('bwrap');
  requireTool('strace');
  const demo = await execa(process.execPath, [path.join(REPO_ROOT, 'scripts/demo.mjs')], { cwd: REPO_ROOT, reject: false, all: true, timeout: 240_000 });
  expect(demo.exitCode, demo.all).toBe(0);
  expect(demo.all).toContain('The demo behaved as designed.');
  expect(demo.all).toContain('native addon says: native hello');
}, 300_000);
