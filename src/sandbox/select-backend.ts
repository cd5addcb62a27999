import { HookboxError } from '../errors.js';
import type { SandboxBackend } from './backend.js';
import { BwrapBackend } from './bwrap/bwrap-backend.js';
import { DockerBackend } from './docker/docker-backend.js';

export type SandboxChoice = 'bwrap' | 'docker' | 'auto';

// The backend for --sandbox: the named one, or for auto bubblewrap when it works here (no
// daemon, milliseconds per hook), else Docker, else a refusal that says how to get either.
export async function selectBackend(choice: SandboxChoice): Promise<SandboxBackend> {
  if (choice === 'bwrap') return new BwrapBackend();
  if (choice === 'docker') return new DockerBackend();
  const bwrap = new BwrapBackend();
  const bwrapState = await bwrap.probe();
  if (bwrapState.ok) return bwrap;
  const docker = new DockerBackend();
  const dockerState = await docker.probe();
  if (dockerState.ok) return docker;
  throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `no sandbox works here: ${bwrapState.reason}; ${dockerState.reason}`, {
    hint: `${bwrapState.hint} Or: ${dockerState.hint}`,
  });
}
