import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { OWNER_LABEL } from './reaper.js';
import { projectArchive, type ProjectManifest } from './project-archive.js';
import { snapshotDelta, snapshotProject, type ProjectSnapshot } from './project-snapshot.js';
import { makeTempDir } from '../../temp-dir.js';

// An image holding the sandbox image plus a copy of the project, owned by the hook's uid. Each
// hook's container starts from it, so the container's own layer is exactly the hook's writes:
// the engine's change list is then the hook's record, and only what changed has to come out.
export interface ProjectBase {
  tag: string;
  // What the copy holds, per project-relative path: the baseline of the hook's changes.
  manifest: ProjectManifest;
  snapshot: ProjectSnapshot;
  depth: number;
}

const REPOSITORY = 'hookbox-project';
// overlayfs stacks at most ~125 layers; long before that a fresh copy is cheaper to read.
const MAX_DEPTH = 40;

// The project bases of one hookbox process. A base is made once per state of the project: the
// first from the whole project, later ones by adding what hooks committed since (a few files)
// on top of the previous base. Made one at a time; all are removed by close(), and by the
// reaper if hookbox dies first.
export class ProjectBases {
  readonly #docker: Docker;
  readonly #sandboxImage: string;
  readonly #made: ProjectBase[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  // Tags never collide between installs, nor between backends of one process.
  readonly #tagPrefix = `${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(docker: Docker, sandboxImage: string) {
    this.#docker = docker;
    this.#sandboxImage = sandboxImage;
  }

  baseFor(projectDir: string, hiddenFiles: string[]): Promise<ProjectBase> {
    const next = this.#queue.then(() => this.#baseFor(projectDir, hiddenFiles));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #baseFor(projectDir: string, hiddenFiles: string[]): Promise<ProjectBase> {
    const snapshot = await snapshotProject(projectDir);
    const latest = this.#made.at(-1);
    if (latest && latest.snapshot.fingerprint === snapshot.fingerprint) return latest;
    const hidden = new Set(hiddenFiles);
    const delta = latest && latest.depth < MAX_DEPTH ? snapshotDelta(latest.snapshot, snapshot) : undefined;
    if (latest && delta && !delta.some((relative) => hidden.has(relative))) {
      const grown = await this.#make(latest.tag, projectDir, hiddenFiles, new Map(latest.manifest), delta).catch(() => undefined);
      if (grown) return this.#keep({ ...grown, snapshot, depth: latest.depth + 1 });
    }
    const whole = await this.#make(this.#sandboxImage, projectDir, hiddenFiles, new Map(), undefined);
    return this.#keep({ ...whole, snapshot, depth: 1 });
  }

  #keep(base: ProjectBase): ProjectBase {
    this.#made.push(base);
    return base;
  }

  // A container that is never started, given the archive and committed as an image.
  async #make(from: string, projectDir: string, hiddenFiles: string[], manifest: ProjectManifest, only: string[] | undefined): Promise<{ tag: string; manifest: ProjectManifest }> {
    const scratchDir = await makeTempDir('base');
    const container = await this.#docker.createContainer({ Image: from, Cmd: ['true'], Labels: { [OWNER_LABEL]: String(process.pid) } });
    try {
      for (const archive of await projectArchive(projectDir, hiddenFiles, scratchDir, manifest, only)) {
        await container.putArchive(archive, { path: '/' });
      }
      const tag = `${this.#tagPrefix}-${this.#made.length + 1}`;
      await container.commit({ repo: REPOSITORY, tag, pause: false, changes: `LABEL ${OWNER_LABEL}=${process.pid}` });
      return { tag: `${REPOSITORY}:${tag}`, manifest };
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
      await rm(scratchDir, { recursive: true, force: true });
    }
  }

  // Newest first: an image cannot go while another is built on it.
  async close(): Promise<void> {
    await this.#queue;
    for (const base of this.#made.splice(0).reverse()) {
      await this.#docker.getImage(base.tag).remove({ force: true }).catch(() => undefined);
    }
  }
}
