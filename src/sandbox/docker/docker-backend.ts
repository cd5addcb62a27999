import { mkdir, rm, writeFile, copyFile, lstat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { HookboxError } from '../../errors.js';
import { engineFromEnv } from './engine-connection.js';
import { OWNER_LABEL } from './reaper.js';
import { execa } from 'execa';
import { straceArgs } from '../../trace/strace-args.js';
import type { Availability, SandboxBackend, SandboxRequest, SandboxRun } from '../backend.js';
import { OutputCapture } from '../captured-output.js';
import { ensureImage, type SandboxImage } from './image.js';
import type { ProjectManifest } from './project-archive.js';
import { ProjectBases } from './project-bases.js';
import { projectChangesFromEngine, readEngineChanges } from './engine-changes.js';
import { treeChanges } from './tree-changes.js';
import type { LayerChange, FileChange } from '../file-change.js';
import { makeTempDir } from '../../temp-dir.js';

// Where the trace is written inside the container (outside the project, owned by the hook's uid).
const TRACE_DIR_IN_CONTAINER = '/hookbox';
const TRACE_IN_CONTAINER = `${TRACE_DIR_IN_CONTAINER}/trace`;

// One fresh container per hook, started from a base image that holds a copy of the project
// (see project-bases.ts): the image is the read-only project, the container's own layer the
// hook's scratch layer. The project goes in and the results come out as tar archives through
// the engine's API, so a remote engine (DOCKER_HOST) works as well as a local one: the engine
// never needs to see a host path. The engine's list of what the container changed says which
// results to fetch, and is handed back to be checked against the trace.
export class DockerBackend implements SandboxBackend {
  readonly name = 'docker' as const;
  // Connected on first use (engineFromEnv): a DOCKER_HOST or certificate hookbox cannot use is
  // then a probe's answer, which doctor prints and install refuses with, not a crash.
  #connected: Docker | undefined;
  #image: SandboxImage | undefined;
  #probed: Availability | undefined;
  #bases: ProjectBases | undefined;
  readonly #buildImage: boolean;

  constructor(docker?: Docker, options: { buildImage?: boolean } = {}) {
    this.#connected = docker;
    this.#buildImage = options.buildImage ?? false;
  }

  get #docker(): Docker {
    return (this.#connected ??= engineFromEnv());
  }

  async probe(): Promise<Availability> {
    this.#probed ??= await this.#probe();
    return this.#probed;
  }

  async #probe(): Promise<Availability> {
    let version: string;
    try {
      this.#connected ??= engineFromEnv();
    } catch (error) {
      return { ok: false, reason: (error as Error).message, hint: (error as HookboxError).hint ?? 'Check DOCKER_HOST.' };
    }
    try {
      version = (await this.#docker.version()).Version;
    } catch (error) {
      return {
        ok: false,
        reason: `no Docker engine answers (${(error as Error).message})`,
        hint: 'Start one (Debian: apt-get install -y docker.io && dockerd &) or point DOCKER_HOST at one.',
      };
    }
    try {
      this.#image = await ensureImage(this.#docker, { build: this.#buildImage });
    } catch (error) {
      const hint = (error as { hint?: string }).hint ?? 'Run `hookbox doctor`.';
      return { ok: false, reason: (error as Error).message, hint };
    }
    return { ok: true, info: { name: 'docker', version: `engine ${version}, image ${this.#image.tag} (${this.#image.id.slice(7, 19)})` } };
  }

  // An engine that fails mid-hook (it restarted, someone removed the container or the base
  // image under us, a remote engine's connection dropped) fails that hook, not the whole
  // install: the install stops as after any failed hook, with a report, and nothing of the
  // hook is kept. A HookboxError of its own (the image is missing) is already what to say.
  async run(request: SandboxRequest): Promise<SandboxRun> {
    try {
      return await this.#run(request);
    } catch (error) {
      if (error instanceof HookboxError) throw error;
      throw new HookboxError('ERR_HOOKBOX_SANDBOX_FAILED', `the Docker engine failed while running the hook: ${(error as Error).message.trim()}`, {
        hint: 'Check the engine (`hookbox doctor --sandbox docker`, its log); the hook runs again on the next install.',
        cause: error,
      });
    }
  }

  async #run(request: SandboxRequest): Promise<SandboxRun> {
    const image = this.#image ?? (this.#image = await ensureImage(this.#docker, { build: false }));
    startReaper();
    this.#bases ??= new ProjectBases(this.#docker, image.tag);
    const base = await this.#bases.baseFor(request.projectDir, request.hiddenProjectFiles);
    const scratchDir = await makeTempDir('docker');
    const viewDir = path.join(scratchDir, 'view');
    // getArchive names entries after the directory's base name: the view mirrors the project.
    const upperDir = path.join(viewDir, path.basename(request.projectDir));
    const dispose = (): Promise<void> => rm(scratchDir, { recursive: true, force: true, maxRetries: 3 });
    const started = performance.now();
    const command = ['/usr/local/bin/hookbox-launch', ...request.argv];
    const tmpfs: Record<string, string> = { '/home/hookbox': 'rw,exec,size=1g,uid=1000,gid=1000,mode=0700' };
    // A project kept under /tmp lives in the image's /tmp, which a tmpfs would hide; the
    // container's /tmp is then its own fresh layer, discarded with it all the same.
    if (!isUnder(request.projectDir, '/tmp')) tmpfs['/tmp'] = 'rw,exec,nosuid,size=1g,mode=1777';
    const container = await this.#docker.createContainer({
      Image: base.tag,
      Labels: { [OWNER_LABEL]: String(process.pid) },
      Cmd: request.traceFile ? ['strace', ...straceArgs(TRACE_IN_CONTAINER), '--', ...command] : command,
      Env: Object.entries(request.env).map(([key, value]) => `${key}=${value}`),
      User: '1000:1000',
      WorkingDir: request.cwd,
      Hostname: 'hookbox',
      NetworkDisabled: !request.network,
      HostConfig: {
        NetworkMode: request.network ? 'bridge' : 'none',
        // Queries go to loopback, where nothing answers: a DNS exfiltration attempt is recorded by name.
        Dns: request.network ? [] : ['127.0.0.1'],
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        PidsLimit: 1024,
        Memory: 4 * 1024 * 1024 * 1024,
        Tmpfs: tmpfs,
        Ulimits: [{ Name: 'core', Soft: 0, Hard: 0 }],
      },
    }).catch(async (error: unknown) => {
      await dispose();
      throw error;
    });
    const stdout = new OutputCapture(request.outputLimitBytes);
    const stderr = new OutputCapture(request.outputLimitBytes);
    let timedOut = false;
    let aborted = false;
    // The engine never ends an attach to a container that was removed without starting (an
    // interrupt between create and start): closed here, or it would hold hookbox open.
    let stream: NodeJS.ReadWriteStream & { destroy?: () => void } | undefined;
    try {
      stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const out = new PassThrough();
      const err = new PassThrough();
      out.on('data', (chunk: Buffer) => stdout.push(chunk));
      err.on('data', (chunk: Buffer) => stderr.push(chunk));
      this.#docker.modem.demuxStream(stream, out, err);
      const stop = (): void => {
        container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, request.timeoutMs);
      const onAbort = (): void => {
        aborted = true;
        stop();
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      if (request.signal?.aborted) aborted = true;
      else await container.start();
      // Removed under us (SIGINT cleanup): as good as killed.
      const result = (await container.wait().catch(() => ({ StatusCode: 137 }))) as { StatusCode: number };
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      const durationMs = Math.round(performance.now() - started);
      if (aborted) {
        // Interrupted: nothing of this run will be kept, so nothing is fetched.
        await mkdir(upperDir, { recursive: true });
        const empty = { exitCode: undefined, signal: 'SIGKILL', timedOut, aborted, traceTooLarge: false, durationMs };
        return { ...empty, stdout: stdout.result(), stderr: stderr.result(), scratch: { upperDir, changes: [], dispose }, layerChanges: undefined };
      }
      const [engine] = await Promise.all([readEngineChanges(container), request.traceFile ? fetchFile(container, TRACE_IN_CONTAINER, request.traceFile, scratchDir) : undefined]);
      await mkdir(upperDir, { recursive: true });
      const changes = await this.#projectChanges(container, request, base.manifest, engine, viewDir, upperDir);
      const killed = timedOut || aborted || result.StatusCode === 137;
      return {
        exitCode: killed ? undefined : result.StatusCode,
        signal: killed ? 'SIGKILL' : undefined,
        timedOut,
        aborted,
        traceTooLarge: false,
        durationMs,
        stdout: stdout.result(),
        stderr: stderr.result(),
        scratch: { upperDir, changes, dispose },
        // The trace itself is strace's write, not the hook's.
        layerChanges: engine.filter((change) => !isUnder(change.path, TRACE_DIR_IN_CONTAINER)),
      };
    } catch (error) {
      await dispose();
      throw error;
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
      stream?.destroy?.();
    }
  }

  // What the hook changed in the project, fetched by the engine's change list, or failing
  // that by taking the whole project out and comparing it with what went in.
  async #projectChanges(container: Docker.Container, request: SandboxRequest, manifest: ProjectManifest, engine: LayerChange[], viewDir: string, upperDir: string): Promise<FileChange[]> {
    const fetch = { container, projectDir: request.projectDir, upperDir, manifest, hiddenFiles: request.hiddenProjectFiles, copyOut: (inside: string, dir: string) => copyOut(container, inside, dir) };
    const listed = await projectChangesFromEngine(engine, fetch);
    if (listed) return listed;
    await rm(upperDir, { recursive: true, force: true });
    await copyOut(container, request.projectDir, viewDir);
    return treeChanges(upperDir, manifest, request.hiddenProjectFiles);
  }

  // The project bases go with the backend; containers went with their runs.
  async close(): Promise<void> {
    await this.#bases?.close();
  }
}

function isUnder(file: string, dir: string): boolean {
  return file === dir || file.startsWith(`${dir}/`);
}

let reaper: ChildProcess | undefined;

// One reaper per hookbox process (see reaper.ts); it must not keep hookbox alive.
function startReaper(): void {
  if (reaper) return;
  reaper = fork(fileURLToPath(new URL('./reaper.js', import.meta.url)), [String(process.pid)], { stdio: 'ignore', detached: true });
  reaper.unref();
  reaper.channel?.unref();
}

// One path inside the container, unpacked into `dir` on the host.
async function copyOut(container: Docker.Container, inside: string, dir: string): Promise<void> {
  await withRetries(async () => extract(await container.getArchive({ path: inside }), dir));
}

// GNU tar keeps a file name's bytes as they are (node-tar decodes them as UTF-8, which would
// turn a Latin-1 name into another, valid one) and never writes outside `dir`.
async function extract(archive: NodeJS.ReadableStream, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const unpack = execa('tar', ['-x', '-C', dir, '--no-same-owner', '--no-overwrite-dir', '-f', '-'], { stdin: 'pipe', buffer: false, stderr: 'pipe' });
  await Promise.all([pipeline(archive, unpack.stdin as NodeJS.WritableStream), unpack]);
}

async function fetchFile(container: Docker.Container, inside: string, outside: string, scratchDir: string): Promise<void> {
  const dir = path.join(scratchDir, 'fetched');
  try {
    await copyOut(container, inside, dir);
    const file = path.join(dir, path.basename(inside));
    if ((await lstat(file)).isFile()) await copyFile(file, outside);
  } catch (error) {
    // No trace: the behaviour is recorded as missing, which the judge treats as a violation.
    process.stderr.write(`hookbox: warning: could not fetch ${inside} from the sandbox container (${(error as Error).message}); the hook counts as unrecorded\n`);
    await writeFile(outside, '').catch(() => undefined);
  }
}

// On a loaded machine the engine's archive response sometimes ends early ("Premature close").
// The container has stopped, so asking again returns the same files; a hook must not be
// blocked as unrecorded because one HTTP response was cut short.
async function withRetries<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attempts) throw error;
      if (process.env['HOOKBOX_DEBUG']) process.stderr.write(`hookbox: debug: archive attempt ${tried} failed: ${(error as Error).message}; retrying\n`);
      await new Promise((resolve) => setTimeout(resolve, 100 * tried));
    }
  }
}
