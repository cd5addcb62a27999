import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hook } from '../plan/hook.js';
import { isRecord } from '../plan/lockfile.js';
import { packagesByLocator, readBerryInstallState } from './yarn-berry-state.js';

// Under Plug'n'Play there is no node_modules/.bin: Yarn gives each build script a temporary
// folder of wrappers for the binaries of the package's dependencies (scriptUtils'
// makePathWrapper). hookbox writes the same wrappers, one folder per package, so a hook can run
// `prebuild-install` or `node-gyp` from its dependencies by name. The wrappers only exec node
// on a path the PnP runtime (preloaded through NODE_OPTIONS) resolves, inside Yarn's zip cache.
export async function writePnpBinFolders(projectDir: string, hooks: Hook[], nodePath: string, root: string): Promise<Map<string, string>> {
  const folders = new Map<string, string>();
  const registry = await readPnpRegistry(projectDir);
  const state = await readBerryInstallState(projectDir);
  if (!registry || !state) return folders;
  const byLocator = packagesByLocator(state);
  let index = 0;
  for (const hook of hooks) {
    const locator = hook.package.resolved;
    if (locator === undefined || folders.has(locator)) continue;
    const at = locator.indexOf('@', 1);
    const own = registry.get(locator.slice(0, at))?.get(locator.slice(at + 1));
    if (!own) continue;
    const folder = path.join(root, String(index++));
    await mkdir(folder, { recursive: true });
    for (const [name, reference] of own.dependencies) {
      const location = registry.get(name)?.get(reference)?.location;
      const bins = byLocator.get(`${name}@${reference}`)?.bin;
      if (location === undefined || !(bins instanceof Map)) continue;
      for (const [bin, relative] of bins as Map<string, string>) {
        // Bin names come from package data: plain file names only.
        if (!/^[A-Za-z0-9@._-]+$/.test(bin) || bin.startsWith('.')) continue;
        const target = path.resolve(projectDir, location, relative);
        await writeFile(path.join(folder, bin), `#!/bin/sh\nexec ${shellQuote(nodePath)} ${shellQuote(target)} "$@"\n`, { mode: 0o755 });
      }
    }
    folders.set(locator, folder);
  }
  return folders;
}

interface PnpPackage {
  location: string;
  dependencies: Array<[string, string]>;
}

// name → reference → package, from .pnp.data.json or the JSON inlined in .pnp.cjs.
async function readPnpRegistry(projectDir: string): Promise<Map<string, Map<string, PnpPackage>> | undefined> {
  const json = (await readFile(path.join(projectDir, '.pnp.data.json'), 'utf8').catch(() => undefined)) ?? inlinedState(await readFile(path.join(projectDir, '.pnp.cjs'), 'utf8').catch(() => ''));
  if (json === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(data) || !Array.isArray(data['packageRegistryData'])) return undefined;
  const registry = new Map<string, Map<string, PnpPackage>>();
  for (const [name, references] of data['packageRegistryData'] as Array<[string | null, Array<[string | null, Record<string, unknown>]>]>) {
    if (typeof name !== 'string' || !Array.isArray(references)) continue;
    const byReference = new Map<string, PnpPackage>();
    for (const [reference, info] of references) {
      if (typeof reference !== 'string' || !isRecord(info) || typeof info['packageLocation'] !== 'string') continue;
      const dependencies: Array<[string, string]> = [];
      for (const dependency of Array.isArray(info['packageDependencies']) ? info['packageDependencies'] : []) {
        const [depName, target] = dependency as [unknown, unknown];
        // An alias is [name, [realName, reference]].
        if (typeof depName === 'string' && typeof target === 'string') dependencies.push([depName, target]);
        else if (Array.isArray(target) && typeof target[0] === 'string' && typeof target[1] === 'string') dependencies.push([target[0], target[1]]);
      }
      byReference.set(reference, { location: info['packageLocation'], dependencies });
    }
    registry.set(name, byReference);
  }
  return registry;
}

// The runtime state .pnp.cjs carries as a single-quoted JS string of JSON:
//   const RAW_RUNTIME_STATE =\n'{\\\n  "__info": [\\\n ... }';
function inlinedState(source: string): string | undefined {
  const match = /const RAW_RUNTIME_STATE =\s*'((?:[^'\\]|\\[\s\S])*)'/.exec(source);
  if (!match) return undefined;
  return (match[1] as string).replace(/\\(\r?\n|[\s\S])/g, (_all, escaped: string) => (escaped === '\n' || escaped === '\r\n' ? '' : escaped));
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
