import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';

// The Docker architecture name of this host (Node says x64 where Docker says amd64).
export function hostArchitecture(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

// An architecture that is not this host's.
export function foreignArchitecture(): string {
  return hostArchitecture() === 'arm64' ? 'amd64' : 'arm64';
}

// A tiny image in `docker save` format whose config says it is linux/<architecture>, tagged
// `tag`: what a user gets by loading an image built on another machine. The engine loads it
// whatever its own architecture (it checks only the OS); nothing in it could run here anyway.
// Returns the archive as a stream; its files are removed once it has been read.
export async function foreignImageArchive(tag: string, architecture: string): Promise<NodeJS.ReadableStream> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-foreign-image-'));
  await mkdir(path.join(dir, 'content'));
  await writeFile(path.join(dir, 'content', 'FOREIGN'), `an image for linux/${architecture}\n`);
  await mkdir(path.join(dir, 'layer'));
  await tar.create({ cwd: path.join(dir, 'content'), file: path.join(dir, 'layer', 'layer.tar'), portable: true }, ['FOREIGN']);
  const diffId = `sha256:${createHash('sha256').update(await readFile(path.join(dir, 'layer', 'layer.tar'))).digest('hex')}`;
  const config = JSON.stringify({
    architecture,
    os: 'linux',
    created: '2026-01-01T00:00:00Z',
    config: { Cmd: ['/FOREIGN'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: '2026-01-01T00:00:00Z', created_by: 'hookbox test: a foreign-platform image' }],
  });
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  await writeFile(path.join(dir, configName), config);
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ['layer/layer.tar'] }]));
  const archive = path.join(dir, 'image.tar');
  await tar.create({ cwd: dir, file: archive, portable: true }, ['manifest.json', configName, 'layer']);
  const stream = createReadStream(archive);
  stream.once('close', () => void rm(dir, { recursive: true, force: true }));
  return stream;
}
