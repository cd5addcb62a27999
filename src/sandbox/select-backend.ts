import { HookboxError } from '../errors.js';
import type { SandboxBackend } from './backend.js';
import { BwrapBackend } from './bwrap/bwrap-backend.js';

export type SandboxChoice = 'bwrap' | 'docker' | 'auto';

// The Docker client is loaded only when docker is wanted: it costs hundreds of milliseconds of
// start-up, during which hookbox could not yet handle a Ctrl-C.
async function dockerBackend(): Promise<SandboxBackend> {
  const { DockerBackend } = await import('./docker/docker-backend.js');
  return new DockerBackend();
}

// The backend for --sandbox: the named one, or for auto bubblewrap when it works here (no
// daemon, milliseconds per hook), else Docker, else a refusal that says how to get either.
export async function selectBackend(choice: SandboxChoice): Promise<SandboxBackend> {
  if (choice === 'bwrap') return new BwrapBackend();
  if (choice === 'docker') return dockerBackend();
  const bwrap = new BwrapBackend();
  const bwrapState = await bwrap.probe();
  if (bwrapState.ok) return bwrap;
  const docker = await dockerBackend();
  const dockerState = await docker.probe();
  if (dockerState.ok) return docker;
  throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `no sandbox works here: ${bwrapState.reason}; ${dockerState.reason}`, {
    hint: `${bwrapState.hint} Or: ${dockerState.hint}`,
  });
}
