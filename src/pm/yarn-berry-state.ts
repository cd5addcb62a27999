import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import zlib from 'node:zlib';
import type { HookResult } from '../install/hook-result.js';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

// The parts of Yarn Berry's .yarn/install-state.gz (a gzipped v8-serialised object) that
// decide whether a package must be built again on the next install.
export interface BerryPackage {
  scope: string | null;
  name: string;
  reference: string;
  locatorHash: string;
  dependencies: Map<string, { descriptorHash: string }>;
  // Binary name → path inside the package.
  bin?: Map<string, string>;
}
export interface BerryInstallState {
  storedPackages: Map<string, BerryPackage>;
  storedResolutions: Map<string, string>;
  storedBuildState: Map<string, string>;
  skippedBuilds?: Set<string>;
  [key: string]: unknown;
}

// Records, for every package whose build scripts hookbox ran in the sandbox, the build hash
// Yarn itself would have stored after building it, so a later plain `yarn install` finds the
// build up to date and neither re-runs it nor re-extracts the package. Yarn 4's rule
// (Project.linkEverything): hash = sha512(globalHash, baseHash(locator), ...buildLocations),
// globalHash = sha512(node version) (no bundled plugin adds to it), and baseHash covers the
// locator and, recursively, the base hashes of its resolved dependencies.
// Blocked and failed builds are recorded too: hookbox decided about them, and a plain
// `yarn install` must not run them again outside the sandbox.
export async function recordBerryBuilds(projectDir: string, nodeVersion: string, results: HookResult[]): Promise<number> {
  const file = installStateFile(projectDir);
  const state = await readBerryInstallState(projectDir);
  if (!state) return 0; // no state: Yarn will rebuild its own on the next install
  const byLocator = packagesByLocator(state);
  const locations = new Map<string, Set<string>>();
  for (const { hook } of results.filter((result) => result.status !== 'skipped')) {
    const pkg = hook.package.resolved === undefined ? undefined : byLocator.get(hook.package.resolved);
    if (!pkg) continue;
    const set = locations.get(pkg.locatorHash) ?? new Set<string>();
    set.add(hook.packageDir);
    locations.set(pkg.locatorHash, set);
  }
  const globalHash = sha512([nodeVersion]);
  const baseHashes = new Map<string, string>();
  const baseHash = (locatorHash: string): string => {
    const known = baseHashes.get(locatorHash);
    if (known !== undefined) return known;
    const pkg = state.storedPackages.get(locatorHash);
    if (!pkg) return locatorHash;
    baseHashes.set(locatorHash, '<recursive>');
    const parts = [locatorHash];
    for (const descriptor of pkg.dependencies.values()) {
      const resolution = state.storedResolutions.get(descriptor.descriptorHash);
      if (resolution !== undefined) parts.push(baseHash(resolution));
    }
    const hash = sha512(parts);
    baseHashes.set(locatorHash, hash);
    return hash;
  };
  for (const [locatorHash, dirs] of locations) {
    state.storedBuildState.set(locatorHash, sha512([globalHash, baseHash(locatorHash), ...[...dirs].sort()]));
    state.skippedBuilds?.delete(locatorHash);
  }
  const tmp = `${file}.hookbox-tmp`;
  await writeFile(tmp, await gzip(v8.serialize(state)));
  await rename(tmp, file);
  return locations.size;
}

function installStateFile(projectDir: string): string {
  return path.join(projectDir, '.yarn', 'install-state.gz');
}

// The install state Yarn left, or undefined when it is missing or not in the shape Yarn 4 writes.
export async function readBerryInstallState(projectDir: string): Promise<BerryInstallState | undefined> {
  let state: BerryInstallState;
  try {
    state = v8.deserialize(await gunzip(await readFile(installStateFile(projectDir)))) as BerryInstallState;
  } catch {
    return undefined;
  }
  const ok = state.storedPackages instanceof Map && state.storedResolutions instanceof Map && state.storedBuildState instanceof Map;
  return ok ? state : undefined;
}

export function packagesByLocator(state: BerryInstallState): Map<string, BerryPackage> {
  const byLocator = new Map<string, BerryPackage>();
  for (const pkg of state.storedPackages.values()) byLocator.set(locatorString(pkg), pkg);
  return byLocator;
}

// "name@npm:1.0.0", "@scope/name@workspace:packages/a": how yarn.lock spells a locator.
export function locatorString(pkg: { scope: string | null; name: string; reference: string }): string {
  return `${pkg.scope ? `@${pkg.scope}/` : ''}${pkg.name}@${pkg.reference}`;
}

function sha512(parts: string[]): string {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
