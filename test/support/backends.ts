import { spawnSync } from 'node:child_process';
import { requirePart, requireTool } from './tools.js';

// The sandbox backends the attack and hostile-input suites run under. Each suite is written
// once and repeated per backend (describe.each), passing `--sandbox <name>` to hookbox, so a
// new backend joins every security test by being added here.
export const SANDBOX_BACKENDS = ['bwrap', 'docker'] as const;
export type SandboxBackendName = (typeof SANDBOX_BACKENDS)[number];

// The system tools a backend needs: skipped locally when missing, a failure in CI.
export function requireBackend(backend: SandboxBackendName): void {
  switch (backend) {
    case 'bwrap':
      requireTool('bwrap');
      requireTool('strace');
      return;
    case 'docker':
      // The engine and the offline-built image come from scripts/setup.sh (root).
      requireTool('dockerd');
      requirePart(spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0, 'no Docker engine answers (start dockerd, or npm run setup as root)');
      return;
  }
}

// hookbox's own arguments that select the backend, placed before any npm argument.
export function sandboxArgs(backend: SandboxBackendName): string[] {
  return ['--sandbox', backend];
}
