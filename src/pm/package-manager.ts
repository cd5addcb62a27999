import { execa } from 'execa';
import path from 'node:path';
import type { Hook } from '../plan/hook.js';
import { planHooks } from '../plan/plan-hooks.js';
import { yarnInventory } from '../plan/yarn-inventory.js';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { HookResult } from '../install/hook-result.js';
import type { PackageManagerKind } from './detect-package-manager.js';
import type { NpmInvocation } from './npm-invocation.js';
import { runNpmScriptsOff } from './run-npm.js';
import { runYarnScriptsOff } from './run-yarn.js';
import type { Toolchain } from './toolchain.js';
import { configuredNodeLinker, resolveYarnBinary, type YarnBinary } from './yarn-binary.js';
import { writePnpBinFolders } from './pnp-bins.js';
import { withBerryBuildOrder } from './yarn-berry-build-order.js';
import { recordBerryBuilds } from './yarn-berry-state.js';
import { recordClassicBuilds } from './yarn-classic-state.js';
import type { YarnInvocation } from './yarn-invocation.js';
import { makeTempDir } from '../temp-dir.js';

// What the user asked for, for the package manager that will do it.
export type PmInvocation = ({ manager: 'npm' } & NpmInvocation) | ({ manager: 'yarn-classic' | 'yarn-berry' } & YarnInvocation);

export interface PmRunOptions {
  projectDir: string;
  toolchain: Toolchain;
  hostEnv: NodeJS.ProcessEnv;
  quiet: boolean;
  signal: AbortSignal | undefined;
}

// The package-manager-specific steps of one install: install with scripts off, list the hooks
// in the package manager's own terms, the extra environment its hooks need, and afterwards
// tell it which builds are done so its own next install agrees with hookbox.
export interface PackageManagerSteps {
  kind: PackageManagerKind;
  installScriptsOff(): Promise<void>;
  plan(includeRoot: boolean): Promise<Hook[]>;
  // Variables to add to (or, for PATH, put in front of) a hook's lifecycle environment.
  hookEnv(hook: Hook, base: Record<string, string>): Record<string, string>;
  // Host directories hooks must be able to read (read-only), e.g. the PnP package cache.
  readOnlyDirs(): Promise<string[]>;
  recordBuilds(results: HookResult[]): Promise<void>;
  // Removes what the steps left in temporary directories.
  dispose(): Promise<void>;
}

export async function packageManagerSteps(invocation: PmInvocation, options: PmRunOptions): Promise<PackageManagerSteps> {
  const { projectDir, toolchain } = options;
  const run = { quiet: options.quiet, signal: options.signal, env: options.hostEnv };
  if (invocation.manager === 'npm') {
    return {
      kind: 'npm',
      installScriptsOff: () => runNpmScriptsOff(invocation, projectDir, toolchain, run),
      plan: (includeRoot) => planHooks(projectDir, { includeRoot }),
      hookEnv: () => ({}),
      readOnlyDirs: async () => [],
      recordBuilds: async () => {},
      dispose: async () => {},
    };
  }
  const kind = invocation.manager;
  const yarn = await resolveYarnBinary(projectDir, toolchain.nodePath, options.hostEnv);
  const linker = kind === 'yarn-berry' ? await configuredNodeLinker(projectDir, options.hostEnv) : 'node-modules';
  const layout = linker === 'pnp' ? 'pnp' : 'node-modules';
  let binRoot: string | undefined;
  let binFolders = new Map<string, string>();
  return {
    kind,
    installScriptsOff: () => runYarnScriptsOff(invocation, kind, projectDir, yarn, run),
    plan: async (includeRoot) => {
      const hooks = await planHooks(projectDir, {
        includeRoot,
        entries: await yarnInventory(projectDir, layout, kind === 'yarn-berry' ? 'berry' : 'classic'),
        semantics: kind === 'yarn-berry' ? 'yarn-berry' : 'npm',
      });
      if (layout === 'pnp') {
        binRoot ??= await makeTempDir('pnp-bin');
        binFolders = await writePnpBinFolders(projectDir, hooks, toolchain.nodePath, binRoot);
      }
      return kind === 'yarn-berry' ? withBerryBuildOrder(projectDir, hooks) : hooks;
    },
    hookEnv: (hook, base) => {
      const bins = hook.package.resolved === undefined ? undefined : binFolders.get(hook.package.resolved);
      return {
        npm_config_user_agent: `yarn node/${process.version} ${process.platform} ${process.arch}`,
        npm_execpath: yarn.prefixArgs[0] ?? yarn.file,
        ...(layout === 'pnp' ? pnpRuntimeEnv(projectDir) : {}),
        ...(bins ? { PATH: `${bins}:${base['PATH'] ?? ''}` } : {}),
      };
    },
    readOnlyDirs: async () => (layout === 'pnp' ? [...(binRoot ? [binRoot] : []), ...(await berryCacheDirs(yarn, projectDir, options.hostEnv))] : []),
    dispose: async () => {
      if (binRoot) await rm(binRoot, { recursive: true, force: true });
    },
    recordBuilds: async (results) => {
      if (kind === 'yarn-classic') await recordClassicBuilds(projectDir, results);
      else await recordBerryBuilds(projectDir, await nodeVersion(toolchain.nodePath), results);
    },
  };
}

// Under Plug'n'Play, packages resolve through Yarn's runtime, not node_modules: a hook's node
// must preload .pnp.cjs (and the ESM loader when Yarn wrote one), as `yarn run` arranges.
function pnpRuntimeEnv(projectDir: string): Record<string, string> {
  const options = [`--require ${JSON.stringify(path.join(projectDir, '.pnp.cjs'))}`];
  const loader = path.join(projectDir, '.pnp.loader.mjs');
  if (existsSync(loader)) options.push(`--experimental-loader ${JSON.stringify(loader)}`);
  return { NODE_OPTIONS: options.join(' ') };
}

// Under PnP the dependencies a hook requires live in Yarn's zip cache (often the global one
// under the user's home, which the sandbox does not show): let hooks read it, and only it.
async function berryCacheDirs(yarn: YarnBinary, projectDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const result = await execa(yarn.file, [...yarn.prefixArgs, 'config', 'get', 'cacheFolder'], { cwd: projectDir, env, extendEnv: false, reject: false });
  const dir = String(result.stdout).trim();
  return result.exitCode === 0 && path.isAbsolute(dir) && existsSync(dir) && !isWithin(dir, projectDir) ? [dir] : [];
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

// The version of the node that runs Yarn (its build hashes include it), not hookbox's own.
async function nodeVersion(nodePath: string): Promise<string> {
  if (nodePath === process.execPath) return process.versions.node;
  const result = await execa(nodePath, ['-p', 'process.versions.node'], { reject: false });
  return String(result.stdout).trim() || process.versions.node;
}
