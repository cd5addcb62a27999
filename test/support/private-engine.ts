import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import Docker from 'dockerode';
import { makeEngineCertificates, type EngineCertificates } from './engine-certificates.js';
import { hasTool } from './tools.js';

// A second Docker engine of the test's own, standing in for a remote one: it listens only on
// tcp://127.0.0.1:<free port>, with TLS both ways (--tlsverify, as a remote engine should), and
// runs in a private mount namespace whose /tmp is an empty tmpfs, so the test projects (all
// under the host's /tmp) do not exist for it. Anything that reaches its containers must travel
// through its API, as with an engine on another machine.
// Its state lives outside /tmp, in a directory removed by stop(); it has a bridge of its own
// (hooks run with NetworkMode none anyway) and touches neither iptables nor the host's docker0.
export interface PrivateEngine {
  // DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as a user of this engine sets them.
  env: Record<string, string>;
  certificates: EngineCertificates;
  docker: Docker;
  // dockerd's pid: /proc/<pid>/root is the file system as the engine sees it.
  pid: number;
  stop(): Promise<void>;
}

const STATE_PARENT = '/var/tmp';

export async function startPrivateEngine(): Promise<PrivateEngine> {
  const dir = await mkdtemp(path.join(STATE_PARENT, 'hookbox-engine-'));
  const port = await freePort();
  const host = `tcp://127.0.0.1:${port}`;
  const certificates = await makeEngineCertificates(path.join(dir, 'certs'));
  // An empty config file: nothing of the machine's /etc/docker/daemon.json applies.
  await writeFile(path.join(dir, 'daemon.json'), '{}\n');
  const log = await open(path.join(dir, 'dockerd.log'), 'a');
  // A bridge of its own: a dockerd started with --bridge=none deletes the host's docker0 (it
  // shares the host's network namespace), which would cut the main engine's bridge network.
  const bridge = privateBridge(port);
  const dockerd = [
    '--config-file', path.join(dir, 'daemon.json'),
    '--host', host,
    '--data-root', path.join(dir, 'data'),
    '--exec-root', path.join(dir, 'exec'),
    '--pidfile', path.join(dir, 'dockerd.pid'),
    `--bridge=${bridge}`, '--iptables=false', '--ip-masq=false',
    '--tlsverify', '--tlscacert', certificates.server.ca, '--tlscert', certificates.server.cert, '--tlskey', certificates.server.key,
  ];
  // unshare and sh exec in turn, so the child's pid is dockerd's. Arguments pass as "$@".
  const unshare = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=16m hookbox-empty-tmp /tmp && exec dockerd "$@"', 'sh', ...dockerd];
  // Should the test worker die before stop() (a crash, a CI timeout), dockerd dies with it
  // (and takes its containerd along) instead of running on as a stray root daemon.
  const argv = hasTool('setpriv') ? ['setpriv', '--pdeathsig', 'KILL', ...unshare] : unshare;
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const clientFile = (name: string): Promise<Buffer> => readFile(path.join(certificates.client, name));
  const docker = new Docker({ host: '127.0.0.1', port, protocol: 'https', ca: await clientFile('ca.pem'), cert: await clientFile('cert.pem'), key: await clientFile('key.pem') });
  const env = { DOCKER_HOST: host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates.client };
  const engine: PrivateEngine = { env, certificates, docker, pid: child.pid ?? -1, stop: () => stopEngine(child, exited, docker, dir).finally(() => removeBridge(bridge)) };
  try {
    await waitForEngine(docker, child, dir);
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return engine;
}

async function waitForEngine(docker: Docker, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the private dockerd exited at start:\n${await logTail(dir)}`);
    try {
      await docker.version();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the private dockerd did not answer within 60 s:\n${await logTail(dir)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

// Containers first (a daemon asked to stop waits for them), then dockerd, which stops the
// containerd it started; the mount namespace, with its /tmp and overlay mounts, goes with the
// last of them, so nothing is left mounted on the host, and the state directory can go.
function privateBridge(port: number): string {
  const name = `hbx${port}`;
  removeBridge(name);
  execFileSync('ip', ['link', 'add', name, 'type', 'bridge']);
  // dockerd wants an IPv4 address on a bridge it is given; a private range, never routed.
  execFileSync('ip', ['addr', 'add', `10.213.${port % 250}.1/24`, 'dev', name]);
  execFileSync('ip', ['link', 'set', name, 'up']);
  return name;
}

function removeBridge(name: string): void {
  try {
    execFileSync('ip', ['link', 'delete', name], { stdio: 'ignore' });
  } catch {
    // Not there.
  }
}

async function stopEngine(child: ChildProcess, exited: Promise<void>, docker: Docker, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const containers = await docker.listContainers({ all: true }).catch(() => []);
    await Promise.all(containers.map((info) => docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined)));
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000))]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  const containerd = Number((await readFile(path.join(dir, 'exec', 'containerd', 'containerd.pid'), 'utf8').catch(() => '')).trim());
  if (containerd > 0) await killIfOurs(containerd, dir);
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
}

// A pid file can outlive its process and the pid be reused: only a process started with our
// state directory in its command line is ours to kill.
async function killIfOurs(pid: number, dir: string): Promise<void> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes(dir)) return;
  process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 5_000 && (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined)) !== undefined; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function logTail(dir: string): Promise<string> {
  return (await readFile(path.join(dir, 'dockerd.log'), 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// Copies an image from one engine into another, as `docker save | docker load` does.
export async function copyImage(from: Docker, to: Docker, tag: string): Promise<void> {
  await loadArchive(to, await from.getImage(tag).get());
}

// Loads a `docker save` archive and waits until the engine has taken all of it.
export async function loadArchive(docker: Docker, archive: NodeJS.ReadableStream): Promise<void> {
  const response = await docker.loadImage(archive);
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(response, (error: Error | null) => (error ? reject(error) : resolve())));
}
