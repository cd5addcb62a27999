import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { HookboxError } from '../../errors.js';

const SANDBOX_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sandbox');
const REPOSITORY = 'hookbox-sandbox';

// The image tag: a hash of the recipe and of the Node.js it carries, so a changed recipe or a
// new node builds a new image and an unchanged one is built once.
export function imageTag(): string {
  const hash = createHash('sha256');
  for (const name of ['build-rootfs.sh', 'hookbox-launch', 'Dockerfile']) hash.update(readFileSync(path.join(SANDBOX_DIR, name)));
  hash.update(process.version).update(process.execPath).update(process.arch);
  return `${REPOSITORY}:${hash.digest('hex').slice(0, 16)}`;
}

export interface SandboxImage {
  tag: string;
  id: string;
}

// The sandbox image, built offline and imported through the engine when missing.
export async function ensureImage(docker: Docker, options: { build: boolean }): Promise<SandboxImage> {
  const tag = imageTag();
  const existing = await inspect(docker, tag);
  if (existing) {
    checkPlatform(existing, tag);
    return { tag, id: existing.Id };
  }
  if (!options.build) {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `the docker sandbox image ${tag} is not built yet`, {
      hint: 'Build it once with `hookbox doctor --build-image` (as root: debootstrap, no registry needed), or `npm run setup`.',
    });
  }
  await buildOffline(docker, tag);
  const built = await inspect(docker, tag);
  if (!built) throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `importing ${tag} did not produce an image`, { hint: 'Check `docker images` and the engine log.' });
  return { tag, id: built.Id };
}

async function inspect(docker: Docker, tag: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(tag).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

// Native builds in a container of another platform would produce binaries the host cannot load.
function checkPlatform(image: Docker.ImageInspectInfo, tag: string): void {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  if (image.Os !== process.platform || image.Architecture !== arch) {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `the docker image ${tag} is ${image.Os}/${image.Architecture}, this host is ${process.platform}/${arch}`, {
      // The tag is found, so --build-image alone would keep it: the foreign image must go first.
      hint: `Hooks build native code for the host, so the image must be ${process.platform}/${arch}: remove this one (\`docker rmi ${tag}\`, on the engine DOCKER_HOST names) and build one here with \`hookbox doctor --build-image\`, or use --sandbox bwrap.`,
    });
  }
}

async function buildOffline(docker: Docker, tag: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', 'building the docker sandbox image needs root (debootstrap)', {
      hint: 'Run `sudo hookbox doctor --build-image` once, or build sandbox/Dockerfile where a registry is reachable and tag it as printed by `hookbox doctor`.',
    });
  }
  if (!existsSync('/usr/sbin/debootstrap')) {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', 'building the docker sandbox image needs debootstrap', { hint: 'apt-get install -y debootstrap' });
  }
  const work = path.join(process.env['HOOKBOX_IMAGE_CACHE'] ?? path.join(os.tmpdir(), 'hookbox-image-build'), tag.replace(/[:/]/g, '-'));
  await mkdir(path.dirname(work), { recursive: true });
  await execa(path.join(SANDBOX_DIR, 'build-rootfs.sh'), [work], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    // GNU tar streams a whole root filesystem faithfully (device nodes, hard links, owners).
    const packer = execa('tar', ['-C', work, '--numeric-owner', '-cf', '-', '.'], { stdout: 'pipe', buffer: false });
    const [repo, version] = tag.split(':') as [string, string];
    const response = (await docker.importImage(packer.stdout as NodeJS.ReadableStream, { repo, tag: version })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(response, (error) => (error ? reject(error) : resolve())));
    await packer;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
