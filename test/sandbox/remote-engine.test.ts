import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTag } from '../../src/sandbox/docker/image.js';
import { startHookbox } from '../attacks/support/live-hookbox.js';
import { requireBackend } from '../support/backends.js';
import { foreignArchitecture, foreignImageArchive, hostArchitecture } from '../support/foreign-image.js';
import { copyImage, loadArchive, startPrivateEngine, type PrivateEngine } from '../support/private-engine.js';
import { allow, fixture, fixtureProject, hasTool, requireTool } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox, type CliRun } from '../support/run-cli.js';
import { requirePart } from '../support/tools.js';

// hookbox against an engine that cannot see the host's files (a remote one, DOCKER_HOST=tcp://…):
// everything must go in and come out through the engine's API. One private engine serves the
// whole file (see private-engine.ts); the shared local engine is only read from (the image).

// Set by the reaper and the project bases: which hookbox process a container or image belongs to.
const OWNER_LABEL = 'dev.hookbox.owner';
const TAG = imageTag();
const BENIGN = ['postinstall-generates-file', 'preinstall-and-install'];
const HOSTILE = ['postinstall-writes-outside'];

const local = new Docker();
let engine: PrivateEngine | undefined;

function theEngine(): PrivateEngine {
  if (!engine) throw new Error('the private engine did not start');
  return engine;
}

function engineEnv(home: string): Record<string, string> {
  return registryEnv(home, theEngine().env);
}

// What the engine holds besides the sandbox image: containers, and images of any other name.
async function leftovers(docker: Docker): Promise<{ containers: string[]; images: string[] }> {
  const containers = (await docker.listContainers({ all: true })).map((info) => `${info.Image} ${info.Labels[OWNER_LABEL] ?? ''}`);
  const images = (await docker.listImages()).flatMap((info) => info.RepoTags ?? [info.Id]).filter((tag) => tag !== TAG);
  return { containers, images };
}

// The engine's events since `since` (seconds): containers created, images committed…
async function eventsSince(docker: Docker, since: number): Promise<string[]> {
  const stream = (await docker.getEvents({ since, until: Math.ceil(Date.now() / 1000) })) as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { Type: string; Action: string })
    .map((event) => `${event.Type} ${event.Action}`);
}

function verdicts(run: CliRun): Record<string, string[]> {
  return Object.fromEntries((run.report?.hooks ?? []).map((hook) => [hook.id, [hook.status, ...hook.violations.map((violation) => violation.rule)]]));
}

describe('a remote engine that cannot see the host (DOCKER_HOST=tcp://127.0.0.1:…, TLS-verified, a private dockerd)', () => {
  requireBackend('docker');
  requireTool('unshare');
  requireTool('ip');
  requireTool('openssl');

  beforeAll(async () => {
    if (!hasTool('unshare') || !hasTool('dockerd') || !hasTool('openssl') || spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status !== 0) return;
    const built = await local.getImage(TAG).inspect().then(
      () => true,
      () => false,
    );
    requirePart(built, `the docker sandbox image ${TAG} is not built (hookbox doctor --build-image, or npm run setup as root)`);
    if (!built) return;
    engine = await startPrivateEngine();
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
  }, 60_000);

  describe('the platform guard: an image of another architecture under the tag hookbox expects', () => {
    const foreign = `linux/${foreignArchitecture()}`;
    const host = `linux/${hostArchitecture()}`;

    beforeAll(async () => {
      if (!engine) return;
      await loadArchive(engine.docker, await foreignImageArchive(TAG, foreignArchitecture()));
      const loaded = await engine.docker.getImage(TAG).inspect();
      expect(`${loaded.Os}/${loaded.Architecture}`).toBe(foreign);
    }, 60_000);

    it('install --sandbox docker refuses before anything runs: exit 5, both platforms, the fix', async () => {
      const project = await fixtureProject(BENIGN, allow(...BENIGN));
      const since = Math.floor(Date.now() / 1000) - 1;
      const run = await runHookbox(['install', '--sandbox', 'docker', '--no-cache'], { cwd: project, env: engineEnv(await makeHome()) });
      expect(run.exitCode, run.stderr).toBe(5);
      expect(run.stderr).toContain('ERR_HOOKBOX_SANDBOX_UNAVAILABLE');
      expect(run.stderr).toContain(`${TAG} is ${foreign}, this host is ${host}`);
      expect(run.stderr).toContain(`docker rmi ${TAG}`);
      expect(run.stderr).toContain('hookbox doctor --build-image');
      // npm never ran, no hook ran, the engine was not asked to create anything.
      expect(existsSync(path.join(project, 'node_modules'))).toBe(false);
      expect(existsSync(path.join(project, 'package-lock.json'))).toBe(false);
      expect(run.report).toBeUndefined();
      expect((await eventsSince(theEngine().docker, since)).filter((event) => !event.startsWith('image '))).toEqual([]);
      expect(await leftovers(theEngine().docker)).toEqual({ containers: [], images: [] });
    });

    it('doctor --sandbox docker says the same and exits 5', async () => {
      const home = await makeHome();
      const run = await runHookbox(['doctor', '--sandbox', 'docker'], { cwd: home, env: engineEnv(home) });
      expect(run.exitCode, run.stdout + run.stderr).toBe(5);
      expect(run.stdout).toContain(`missing  docker: the docker image ${TAG} is ${foreign}, this host is ${host}`);
      expect(run.stdout).toContain(`docker rmi ${TAG}`);
      expect(run.stdout).toContain('hookbox cannot sandbox hooks here with --sandbox docker');
      // Only the backend asked about: a working bwrap must not turn the answer into a yes.
      expect(run.stdout).not.toMatch(/^\S+ +bwrap:/m);
    });

    it('with the host platform’s image under the tag instead, doctor --sandbox docker passes', async () => {
      const docker = theEngine().docker;
      await docker.getImage(TAG).remove({ force: true });
      await copyImage(local, docker, TAG);
      const home = await makeHome();
      const run = await runHookbox(['doctor', '--sandbox', 'docker'], { cwd: home, env: engineEnv(home) });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain(`ok       docker: engine 20.`);
      expect(run.stdout).toContain(TAG);
      expect(run.stdout).toContain('hookbox can sandbox hooks here with --sandbox docker');
    }, 90_000);
  });

  describe('installing through it', () => {
    it('the engine sees none of the project', async () => {
      const project = await fixtureProject(BENIGN);
      expect(existsSync(path.join(project, 'package.json'))).toBe(true);
      // /proc/<pid>/root is the file system in dockerd's mount namespace.
      expect(existsSync(`/proc/${theEngine().pid}/root/tmp`)).toBe(true);
      expect(existsSync(`/proc/${theEngine().pid}/root${project}`)).toBe(false);
    });

    it('keeps what allowed hooks built, blocks the attack, with the verdicts and evidence of the local engine, and leaves nothing in the engine', async () => {
      const policy = allow(...BENIGN);
      const [remoteProject, localProject] = [await fixtureProject([...BENIGN, ...HOSTILE], policy), await fixtureProject([...BENIGN, ...HOSTILE], policy)];
      expect(existsSync(`/proc/${theEngine().pid}/root${remoteProject}`)).toBe(false);
      const home = await makeHome();
      const remote = await runHookbox(['install', '--sandbox', 'docker', '--no-cache'], { cwd: remoteProject, env: engineEnv(home) });
      expect(remote.exitCode, remote.stderr).toBe(3);
      expect(remote.report?.sandbox.backend).toBe('docker');

      // On the host: the generated file, and the three hooks of one package in order (each
      // hook's container started from a base holding what the one before it kept).
      await readFile(path.join(remoteProject, 'node_modules', fixture('postinstall-generates-file'), 'generated.js'), 'utf8');
      const order = await readFile(path.join(remoteProject, 'node_modules', fixture('preinstall-and-install'), 'order.txt'), 'utf8');
      expect(order.trim().split('\n')).toEqual(['preinstall', 'install', 'postinstall']);
      const writes = hookOf(remote.report, fixture('postinstall-writes-outside'));
      expect(writes.status).toBe('blocked');
      expect(writes.violations.find((violation) => violation.rule === 'write')?.evidence.join('\n')).toContain('node_modules/.bin/hookbox-hijack');
      expect(await readFile(path.join(remoteProject, 'package.json'), 'utf8')).not.toContain('tamper');
      expect(existsSync(path.join(remoteProject, 'node_modules/.bin/hookbox-hijack'))).toBe(false);

      expect(await leftovers(theEngine().docker)).toEqual({ containers: [], images: [] });

      const reference = await runHookbox(['install', '--sandbox', 'docker', '--no-cache'], { cwd: localProject, env: registryEnv(home) });
      expect(reference.exitCode, reference.stderr).toBe(3);
      expect(verdicts(remote)).toEqual(verdicts(reference));
      const evidence = (run: CliRun): unknown =>
        (run.report?.hooks ?? []).map((hook) => ({ id: hook.id, violations: hook.violations.map((violation) => ({ rule: violation.rule, evidence: violation.evidence.map((line) => line.replaceAll(path.basename(run === remote ? remoteProject : localProject), '<project>')) })) }));
      expect(evidence(remote)).toEqual(evidence(reference));
    }, 180_000);

    it('a hookbox killed mid-hook (SIGKILL) has its container and project image removed from the remote engine by its reaper', async () => {
      const project = await fixtureProject(['postinstall-sleeps'], allow('postinstall-sleeps'));
      await writeFile(path.join(project, 'hookbox-sleep-seconds'), '60');
      const live = startHookbox(['install', '--sandbox', 'docker', '--no-cache'], { cwd: project, env: engineEnv(await makeHome()) });
      const docker = theEngine().docker;
      const owned = { label: [`${OWNER_LABEL}=${live.pid}`] };
      await live.waitFor(`running ${fixture('postinstall-sleeps')}`);
      const deadline = Date.now() + 30_000;
      while ((await docker.listContainers({ filters: { ...owned, status: ['running'] } })).length === 0) {
        if (Date.now() > deadline) throw new Error(`no running container of hookbox ${live.pid} in the remote engine:\n${live.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await docker.listImages({ filters: owned })).length).toBeGreaterThan(0);
      process.kill(live.pid, 'SIGKILL');
      await live.done;
      const gone = Date.now() + 20_000;
      let left = await leftovers(docker);
      while ((left.containers.length > 0 || left.images.length > 0) && Date.now() < gone) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        left = await leftovers(docker);
      }
      expect(left).toEqual({ containers: [], images: [] });
      expect(existsSync(path.join(project, 'node_modules', fixture('postinstall-sleeps'), 'started.txt'))).toBe(false);
    }, 120_000);
  });
  // The Docker CLI's rules (any non-empty DOCKER_TLS_VERIFY, certificates in ~/.docker unless
  // DOCKER_CERT_PATH says otherwise), and a server that must prove who it is.
  describe('TLS, as the Docker CLI sets it up', () => {
    it('DOCKER_TLS_VERIFY=yes with the certificates in ~/.docker (no DOCKER_CERT_PATH): doctor reaches the engine', async () => {
      const { DOCKER_HOST } = theEngine().env;
      const home = await makeHome();
      await cp(theEngine().certificates.client, path.join(home, '.docker'), { recursive: true });
      const run = await runHookbox(['doctor', '--sandbox', 'docker'], { cwd: home, env: registryEnv(home, { DOCKER_HOST: DOCKER_HOST as string, DOCKER_TLS_VERIFY: 'yes' }) });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('ok       docker: engine 20.');
    });

    it('an engine whose certificate the CA in ca.pem did not sign is refused (exit 5): hookbox verifies the server', async () => {
      const home = await makeHome();
      const env = registryEnv(home, { ...theEngine().env, DOCKER_CERT_PATH: theEngine().certificates.otherCa });
      const doctor = await runHookbox(['doctor', '--sandbox', 'docker'], { cwd: home, env });
      expect(doctor.exitCode, doctor.stdout).toBe(5);
      expect(doctor.stdout).toMatch(/missing  docker: no Docker engine answers \(.*certificate/);
      const project = await fixtureProject(BENIGN, allow(...BENIGN));
      const install = await runHookbox(['install', '--sandbox', 'docker', '--no-cache'], { cwd: project, env });
      expect(install.exitCode, install.stderr).toBe(5);
      expect(install.stderr).toContain('ERR_HOOKBOX_SANDBOX_UNAVAILABLE');
      expect(existsSync(path.join(project, 'node_modules'))).toBe(false);
    });

    it('a DOCKER_CERT_PATH without the client key: exit 5 naming the file and what to put there', async () => {
      const home = await makeHome();
      const certs = path.join(home, 'certs');
      await cp(theEngine().certificates.client, certs, { recursive: true });
      await rm(path.join(certs, 'key.pem'));
      const run = await runHookbox(['doctor', '--sandbox', 'docker'], { cwd: home, env: registryEnv(home, { ...theEngine().env, DOCKER_CERT_PATH: certs }) });
      expect(run.exitCode, run.stdout).toBe(5);
      expect(run.stdout).toContain(`missing  docker: DOCKER_TLS_VERIFY is set, but ${path.join(certs, 'key.pem')} cannot be read (ENOENT)`);
      expect(run.stdout).toContain('point DOCKER_CERT_PATH at the directory that has them');
    });
  });
});
