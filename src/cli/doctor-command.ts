import type { SandboxBackend } from '../sandbox/backend.js';
import { BwrapBackend } from '../sandbox/bwrap/bwrap-backend.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox doctor [--build-image]`: which sandbox backends work here and, for each that does
// not, why and how to fix it. --build-image builds the Docker sandbox image offline (root).
export async function doctorCommand(options: CliOptions): Promise<number> {
  const [{ default: Docker }, { DockerBackend }] = await Promise.all([import('dockerode'), import('../sandbox/docker/docker-backend.js')]);
  const backends: SandboxBackend[] = [new BwrapBackend(), new DockerBackend(new Docker(), { buildImage: options.rest.includes('--build-image') })];
  let working = 0;
  for (const backend of backends) {
    const state = await backend.probe();
    if (state.ok) {
      working++;
      process.stdout.write(`ok       ${backend.name}: ${state.info.version}\n`);
    } else {
      process.stdout.write(`missing  ${backend.name}: ${state.reason}\n         ${state.hint}\n`);
    }
  }
  process.stdout.write(working > 0 ? 'hookbox can sandbox hooks here (--sandbox auto takes bwrap when it works, else docker)\n' : 'hookbox cannot sandbox hooks here: install bubblewrap, or start a Docker engine\n');
  return working > 0 ? EXIT.ok : EXIT.sandboxUnavailable;
}
