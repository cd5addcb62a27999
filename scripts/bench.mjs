// `npm run bench`: hookbox's cost against plain npm, measured in one run on this machine from a
// local registry (offline, repeatable). The project is fixtures/projects/bench (benign fixture
// hooks only, since plain npm runs them on the host, including a real node-gyp build) plus the
// generated libraries and large tree of scripts/bench-packages.mjs. Prints medians and ratios;
// --json prints the same as JSON. Each repetition starts from an empty node_modules with a
// warm npm cache, so the numbers compare install work, not downloads.
//
//   HOOKBOX_BENCH_REPS   repetitions per variant (default 5)
//   HOOKBOX_BENCH_SANDBOXES  comma-separated sandboxes to measure (default: those that work)
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchPackages } from './bench-packages.mjs';
import { publishFixtures, startRegistry } from './local-registry.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/main.js');
const json = process.argv.includes('--json');
const repetitions = Number(process.env.HOOKBOX_BENCH_REPS ?? 5);

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const log = (text) => !json && process.stderr.write(`bench: ${text}\n`);

// Times `variant` from an empty node_modules, `repetitions` times; `prepare` runs untimed first.
async function measure(project, env, [command, args], { prepare, expectCode = 0 } = {}) {
  const times = [];
  for (let i = 0; i < repetitions; i++) {
    await rm(path.join(project, 'node_modules'), { recursive: true, force: true });
    if (prepare) await prepare();
    const result = await run(command, args, { cwd: project, env });
    if (result.code !== expectCode) throw new Error(`${command} ${args.join(' ')} exited with ${result.code}: ${result.stderr.slice(-2000)}`);
    times.push(result.ms);
  }
  return { medianMs: Math.round(median(times)), runsMs: times.map(Math.round) };
}

// bwrap always; docker when this hookbox has that backend and an engine answers.
async function workingSandboxes() {
  if (process.env.HOOKBOX_BENCH_SANDBOXES) return process.env.HOOKBOX_BENCH_SANDBOXES.split(',');
  const help = await new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, '--help'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('close', () => resolve(text));
  });
  const docker = /--sandbox[^\n]*docker/.test(help) && (await run('docker', ['info'], {}).catch(() => ({ code: 1 }))).code === 0;
  return docker ? ['bwrap', 'docker'] : ['bwrap'];
}

// The cost of one sandbox launch around a command that does nothing, traced and not: the
// per-hook overhead of a backend (for docker, after the install's first project base is made).
async function sandboxStartCost(sandbox, projectDir, traced) {
  const backend =
    sandbox === 'bwrap'
      ? new (await import(path.join(root, 'dist/sandbox/bwrap/bwrap-backend.js'))).BwrapBackend()
      : new (await import(path.join(root, 'dist/sandbox/docker/docker-backend.js'))).DockerBackend();
  const availability = await backend.probe();
  if (!availability.ok) throw new Error(`${sandbox}: ${availability.reason}`);
  const traceDir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-bench-trace-'));
  const times = [];
  for (let i = 0; i < 15; i++) {
    // The whole call: launch, wait, and reading back what changed.
    const started = performance.now();
    const run = await backend.run({
      projectDir,
      cwd: projectDir,
      argv: ['/bin/true'],
      env: { PATH: '/usr/bin:/bin' },
      hiddenProjectFiles: [],
      readOnlyDirs: [],
      network: false,
      timeoutMs: 30_000,
      outputLimitBytes: 1024,
      traceFile: traced ? path.join(traceDir, `${i}.strace`) : undefined,
      traceLimitBytes: 64 * 1024 * 1024,
      signal: undefined,
    });
    times.push(performance.now() - started);
    await run.scratch.dispose();
  }
  await backend.close?.();
  await rm(traceDir, { recursive: true, force: true });
  return Math.round(median(times) * 10) / 10;
}

const registry = await startRegistry();
const results = {};
const extra = {};
try {
  const generated = await mkdtemp(path.join(os.tmpdir(), 'hookbox-bench-packages-'));
  const generatedDependencies = await writeBenchPackages(generated);
  log('publishing fixtures and generated packages to a local registry');
  await publishFixtures(registry);
  await publishFixtures(registry, [generated]);
  const npmCache = await mkdtemp(path.join(os.tmpdir(), 'hookbox-bench-npm-cache-'));
  const home = await mkdtemp(path.join(os.tmpdir(), 'hookbox-bench-home-'));
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key))),
    HOME: home,
    npm_config_registry: registry.url,
    npm_config_userconfig: registry.npmrcPath,
    npm_config_cache: npmCache,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // Plain npm must build against the local node headers too (hookbox does): there is no network.
  const { resolveToolchain } = await import(path.join(root, 'dist/pm/toolchain.js'));
  const headers = resolveToolchain(env).nodeHeadersDir;
  if (headers) env.npm_config_nodedir = headers;
  const project = await mkdtemp(path.join(os.tmpdir(), 'hookbox-bench-'));
  await cp(path.join(root, 'fixtures/projects/bench'), project, { recursive: true });
  const manifestFile = path.join(project, 'package.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, ...generatedDependencies };
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  // Warm the npm cache and write the lockfile once, so every variant installs the same tree.
  await run('npm', ['install', '--ignore-scripts'], { cwd: project, env });
  const lock = JSON.parse(await readFile(path.join(project, 'package-lock.json'), 'utf8'));
  const packageCount = Object.keys(lock.packages).filter((key) => key !== '').length;

  log('plain npm install');
  results['npm install (hooks run unsandboxed)'] = await measure(project, env, ['npm', ['install']]);
  log('npm install --ignore-scripts');
  results['npm install --ignore-scripts (floor)'] = await measure(project, env, ['npm', ['install', '--ignore-scripts']]);
  const hookboxCache = path.join(home, 'hookbox-cache');
  for (const sandbox of await workingSandboxes()) {
    const hookbox = (...args) => [process.execPath, [cli, 'install', '--sandbox', sandbox, '--cache-dir', hookboxCache, '--on-block', 'warn', ...args]];
    const emptyCache = () => rm(hookboxCache, { recursive: true, force: true });
    log(`hookbox install (${sandbox}) cold`);
    results[`hookbox install (${sandbox}, traced, cold)`] = await measure(project, env, hookbox(), { prepare: emptyCache });
    log(`hookbox install (${sandbox}) warm cache`);
    results[`hookbox install (${sandbox}, warm cache)`] = await measure(project, env, hookbox());
    log(`hookbox install (${sandbox}) --no-trace`);
    results[`hookbox install (${sandbox}, --no-trace, cold)`] = await measure(project, env, hookbox('--no-trace', '--no-cache'));
    extra[`sandbox start, ${sandbox}, untraced (median ms)`] = await sandboxStartCost(sandbox, project, false);
    extra[`sandbox start, ${sandbox}, traced (median ms)`] = await sandboxStartCost(sandbox, project, true);
  }

  // Tracing overhead on the native build alone: a project whose only hook is node-gyp rebuild.
  log('tracing overhead on the native build');
  const nativeProject = await mkdtemp(path.join(os.tmpdir(), 'hookbox-bench-native-'));
  await writeFile(path.join(nativeProject, 'package.json'), JSON.stringify({ name: 'native-only', version: '1.0.0', private: true, dependencies: { '@hookbox-fixtures/native-addon': '^1.0.0' } }));
  await writeFile(path.join(nativeProject, 'hookbox.policy.json'), JSON.stringify({ version: 1, packages: { '@hookbox-fixtures/native-addon@*': {} } }));
  await run('npm', ['install', '--ignore-scripts'], { cwd: nativeProject, env });
  const nativeTraced = await measure(nativeProject, env, [process.execPath, [cli, 'install', '--no-cache']]);
  const nativeUntraced = await measure(nativeProject, env, [process.execPath, [cli, 'install', '--no-cache', '--no-trace']]);
  extra['native build, hookbox traced (median ms)'] = nativeTraced.medianMs;
  extra['native build, hookbox --no-trace (median ms)'] = nativeUntraced.medianMs;
  extra['tracing overhead on the native build (ratio)'] = Number((nativeTraced.medianMs / nativeUntraced.medianMs).toFixed(2));
  extra['packages in the bench tree'] = packageCount;
  await rm(project, { recursive: true, force: true });
  await rm(nativeProject, { recursive: true, force: true });
  await rm(generated, { recursive: true, force: true });
  await rm(npmCache, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
} finally {
  await registry.stop();
}

const plain = results['npm install (hooks run unsandboxed)'].medianMs;
const floor = results['npm install --ignore-scripts (floor)'].medianMs;
for (const value of Object.values(results)) {
  value.vsPlainNpm = Number((value.medianMs / plain).toFixed(2));
  value.vsIgnoreScripts = Number((value.medianMs / floor).toFixed(2));
}
if (json) process.stdout.write(`${JSON.stringify({ project: 'fixtures/projects/bench', repetitions, cores: os.availableParallelism(), node: process.version, results, ...extra }, null, 2)}\n`);
else {
  process.stdout.write(`hookbox benchmark: fixtures/projects/bench (${extra['packages in the bench tree']} packages), median of ${repetitions}, ${os.availableParallelism()} cores, node ${process.version}\n`);
  for (const [name, value] of Object.entries(results)) {
    process.stdout.write(`  ${name.padEnd(44)} ${String(value.medianMs).padStart(7)} ms   ${value.vsPlainNpm.toFixed(2)}x plain npm   ${value.vsIgnoreScripts.toFixed(2)}x --ignore-scripts\n`);
  }
  for (const [name, value] of Object.entries(extra)) process.stdout.write(`  ${name.padEnd(44)} ${value}\n`);
}
