import type { SandboxBackend } from '../sandbox/backend.js';
import { BwrapBackend } from '../sandbox/bwrap/bwrap-backend.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox doctor [--sandbox bwrap|docker] [--build-image]`: which sandbox backends work here
// and, for each that does not, why and how to fix it; with --sandbox, only that one, and the
// exit code says whether it works. --build-image builds the Docker sandbox image offline (root).
export async function doctorCommand(options: CliOptions): Promise<number> {
  const backends: SandboxBackend[] = [];
  if (options.sandbox !== 'docker') backends.push(new BwrapBackend());
  if (options.sandbox !== 'bwrap') {
    const { DockerBackend } = await import('../sandbox/docker/docker-backend.js');
    backends.push(new DockerBackend(undefined, { buildImage: options.rest.includes('--build-image') }));
  }
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
  if (options.sandbox !== 'auto') {
    process.stdout.write(working > 0 ? `hookbox can sandbox hooks here with --sandbox ${options.sandbox}\n` : `hookbox cannot sandbox hooks here with --sandbox ${options.sandbox}: see above\n`);
  } else {
    process.stdout.write(working > 0 ? 'hookbox can sandbox hooks here (--sandbox auto takes bwrap when it works, else docker)\n' : 'hookbox cannot sandbox hooks here: install bubblewrap, or start a Docker engine\n');
  }
  return working > 0 ? EXIT.ok : EXIT.sandboxUnavailable;
}
