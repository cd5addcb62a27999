// A real npm registry on 127.0.0.1 (Verdaccio) that serves only the fixture packages, for the
// tests, `npm run demo` and `npm run bench`. Plain JavaScript with JSDoc types because the demo
// runs it under Node 20 without TypeScript; local-registry.d.mts gives TypeScript callers types.
//
// The registry has no uplinks: a name that was not published here is a 404, never a request to
// registry.npmjs.org, so no test can install a real package by accident (or by typo-squat).
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERDACCIO_BIN = path.join(ROOT, 'node_modules/verdaccio/bin/verdaccio');
const FIXTURE_ROOTS = [path.join(ROOT, 'fixtures/packages'), path.join(ROOT, 'fixtures/attacks')];
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3_000;
const PUBLISH_CONCURRENCY = 4;
const USER = 'hookbox-fixtures';

/**
 * @typedef {object} Registry
 * @property {string} url Base URL with a trailing slash, e.g. `http://127.0.0.1:4873/`.
 * @property {number} port
 * @property {string} npmrcPath An npmrc with `registry=` and an auth token for this registry.
 * @property {() => Promise<void>} stop Kills Verdaccio and waits for it; removes its temp dir.
 */

// Starts Verdaccio on 127.0.0.1 (a free port unless `port` is given), waits until it answers,
// and returns its URL and an npmrc holding a publish token.
/**
 * @param {{ port?: number, storageDir?: string }} [options]
 * @returns {Promise<Registry>}
 */
export async function startRegistry({ port, storageDir } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-registry-'));
  try {
    const storage = storageDir ? path.resolve(storageDir) : path.join(dir, 'storage');
    await mkdir(storage, { recursive: true });
    const configPath = await writeConfig(dir, storage);
    const watchdogPath = await writeWatchdog(dir);
    // A free port can be taken between probing and Verdaccio's listen; retry only when we chose it.
    for (let attempt = 1; ; attempt++) {
      const chosen = port ?? (await freePort());
      try {
        return await launch({ dir, configPath, watchdogPath, port: chosen });
      } catch (error) {
        if (port !== undefined || attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

// Publishes fixture packages with the real npm CLI and returns their `name@version`, sorted.
// `dirs` may name package directories or folders of them; by default every non-private package
// under fixtures/packages and fixtures/attacks. A version the registry already has is skipped,
// so publishing twice into the same storage is harmless.
/**
 * @param {Pick<Registry, 'url' | 'npmrcPath'>} registry
 * @param {string[]} [dirs]
 * @returns {Promise<string[]>}
 */
export async function publishFixtures(registry, dirs = FIXTURE_ROOTS) {
  const packages = await findPackages(dirs);
  // Versions of one package go out one after another, oldest first: Verdaccio refuses a publish
  // that races another of the same package, and `latest` must end on the newest.
  const byName = new Map();
  for (const pkg of packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  const groups = [...byName.values()].map((group) => group.sort((a, b) => compareVersions(a.version, b.version)));
  const published = await mapBounded(groups, PUBLISH_CONCURRENCY, async (group) => {
    const ids = [];
    for (const pkg of group) ids.push(await publishOne(registry, pkg));
    return ids;
  });
  return published.flat().sort();
}

/**
 * @param {{ dir: string, configPath: string, watchdogPath: string, port: number }} options
 * @returns {Promise<Registry>}
 */
async function launch({ dir, configPath, watchdogPath, port }) {
  const url = `http://127.0.0.1:${port}/`;
  const outputPath = path.join(dir, `verdaccio-${port}.out`);
  const output = await open(outputPath, 'w');
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  // The watchdog (preloaded) exits Verdaccio when this process's IPC channel closes, so the
  // registry dies with its parent even on SIGKILL, when no 'exit' handler can run.
  const child = spawn(process.execPath, ['--require', watchdogPath, VERDACCIO_BIN, '--config', configPath, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    env,
    stdio: ['ignore', output.fd, output.fd, 'ipc'],
  });
  await output.close();
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  // Neither the child nor its channel keeps the parent alive: a script that forgets stop() ends
  // anyway, and the 'exit' handler and the watchdog take Verdaccio down with it.
  child.unref();
  child.channel?.unref();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.ref();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    // A storageDir given by the caller lives outside `dir` and is kept.
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitForPing(url, exited, outputPath);
    const token = await createUser(url);
    const npmrcPath = path.join(dir, 'npmrc');
    const host = `//127.0.0.1:${port}/`;
    // audit/fund/update-notifier off: npm would otherwise ask this registry for endpoints it
    // does not have (audit) and print noise into the output tests read.
    await writeFile(npmrcPath, [`registry=${url}`, `${host}:_authToken=${token}`, 'audit=false', 'fund=false', 'update-notifier=false', ''].join('\n'), { mode: 0o600 });
    return { url, port, npmrcPath, stop };
  } catch (error) {
    stopped = true;
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

// Verdaccio's config as JSON (JSON is YAML). No uplinks: only what is published here exists.
/** @param {string} dir @param {string} storage */
async function writeConfig(dir, storage) {
  const config = {
    storage,
    // A plugins folder of our own, so no plugin installed elsewhere on the machine is loaded.
    plugins: path.join(dir, 'plugins'),
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 100 } },
    uplinks: {},
    packages: {
      '**': { access: '$all', publish: '$anonymous $authenticated', unpublish: '$authenticated' },
    },
    // The web UI and the audit proxy are the only parts that would fetch from the internet
    // (the audit middleware forwards `npm audit` to registry.npmjs.org).
    web: { enable: false },
    middlewares: { audit: { enabled: false } },
    max_body_size: '100mb',
    server: { keepAliveTimeout: 5 },
    log: { type: 'file', path: path.join(dir, 'verdaccio.log'), level: 'warn' },
  };
  await mkdir(config.plugins, { recursive: true });
  const configPath = path.join(dir, 'config.yaml');
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return configPath;
}

/** @param {string} dir */
async function writeWatchdog(dir) {
  const watchdogPath = path.join(dir, 'watchdog.cjs');
  const watchdog = [
    '// Preloaded into Verdaccio: when the process that started it is gone (its IPC channel',
    '// closed), remove the registry temp dir (config, token, temp storage) and exit.',
    "if (process.send) process.on('disconnect', () => {",
    `  require('node:fs').rmSync(${JSON.stringify(dir)}, { recursive: true, force: true });`,
    '  process.exit(0);',
    '});',
    '',
  ];
  await writeFile(watchdogPath, watchdog.join('\n'));
  return watchdogPath;
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} url
 * @param {Promise<number | null>} exited
 * @param {string} outputPath
 */
async function waitForPing(url, exited, outputPath) {
  /** @type {number | null | undefined} */
  let exitCode;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`Verdaccio exited with ${exitCode} before answering ${url}-/ping:\n${await tail(outputPath)}`);
    }
    const ok = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Verdaccio did not answer ${url}-/ping within ${START_TIMEOUT_MS} ms:\n${await tail(outputPath)}`);
}

// Creates the publishing user through the registry API (what `npm adduser` does) for a token.
/** @param {string} url @returns {Promise<string>} */
async function createUser(url) {
  const password = randomBytes(18).toString('base64url');
  const response = await fetch(`${url}-/user/org.couchdb.user:${USER}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${USER}`, name: USER, password, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = /** @type {{ token?: string, error?: string }} */ (await response.json().catch(() => ({})));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`creating user ${USER} on ${url} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

/** @param {string} file */
async function tail(file) {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.slice(-4_000);
}

/**
 * @typedef {{ dir: string, name: string, version: string }} FixturePackage
 */

/** @param {string[]} dirs @returns {Promise<FixturePackage[]>} */
async function findPackages(dirs) {
  /** @type {FixturePackage[]} */
  const found = [];
  for (const dir of dirs.map((entry) => path.resolve(ROOT, entry))) {
    const own = await readManifest(dir);
    if (own !== undefined) {
      if (own) found.push(own);
      continue;
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch((error) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries.filter((item) => item.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const manifest = await readManifest(path.join(dir, entry.name));
      if (manifest) found.push(manifest);
    }
  }
  return found;
}

// Fixture versions are plain x.y.z.
/** @param {string} a @param {string} b */
function compareVersions(a, b) {
  const parts = (version) => version.split(/[.-]/).map((part) => Number(part) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) if ((left[i] ?? 0) !== (right[i] ?? 0)) return (left[i] ?? 0) - (right[i] ?? 0);
  return 0;
}

// The package in `dir`; null when it is private; undefined when there is no package.json.
/** @param {string} dir @returns {Promise<FixturePackage | null | undefined>} */
async function readManifest(dir) {
  const text = await readFile(path.join(dir, 'package.json'), 'utf8').catch((error) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const manifest = JSON.parse(text);
  if (manifest.private === true) return null;
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new Error(`${path.join(dir, 'package.json')}: a fixture needs a string "name" and "version"`);
  }
  return { dir, name: manifest.name, version: manifest.version };
}

/**
 * @param {Pick<Registry, 'url' | 'npmrcPath'>} registry
 * @param {FixturePackage} pkg
 * @returns {Promise<string>}
 */
async function publishOne(registry, pkg) {
  const id = `${pkg.name}@${pkg.version}`;
  if (await hasVersion(registry.url, pkg)) return id;
  const env = { ...process.env };
  // A parent `npm test` exports its own config as npm_config_*; none of it belongs here.
  for (const key of Object.keys(env)) if (/^npm_config_/i.test(key)) delete env[key];
  const args = ['publish', '--userconfig', registry.npmrcPath, '--registry', registry.url, '--ignore-scripts', '--access', 'public', '--provenance=false', '--loglevel=warn'];
  const result = await run('npm', args, { cwd: pkg.dir, env });
  if (result.code !== 0 && !(await hasVersion(registry.url, pkg))) {
    throw new Error(`npm publish of ${id} (${pkg.dir}) exited with ${result.code}:\n${result.output.slice(-4_000)}`);
  }
  return id;
}

/** @param {string} url @param {FixturePackage} pkg */
async function hasVersion(url, pkg) {
  const response = await fetch(`${url}${pkg.name.replace('/', '%2f')}`, { headers: { accept: 'application/json' } });
  if (response.status === 404) return false;
  if (!response.ok) throw new Error(`GET ${url}${pkg.name} answered HTTP ${response.status}`);
  const packument = /** @type {{ versions?: Record<string, unknown> }} */ (await response.json());
  return Boolean(packument.versions && pkg.version in packument.versions);
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ code: number, output: string }>}
 */
function run(command, args, options) {
  return new Promise((resolve) => {
    execFile(command, args, { ...options, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}${error && code === 1 && !stderr ? String(error) : ''}` });
    });
  });
}

/**
 * @template T, R
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
async function mapBounded(items, limit, fn) {
  /** @type {R[]} */
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(/** @type {T} */ (items[index]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
