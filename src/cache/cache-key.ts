import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hook } from '../plan/hook.js';
import type { BackendInfo } from '../sandbox/backend.js';

// Bump when what an entry stores, or how it is applied, changes.
export const CACHE_FORMAT = 1;

// Everything that determines what a hook does and leaves behind. Two runs with equal inputs
// are the same computation: same package bytes, same script, same runtime and toolchain, same
// sandbox, same installed tree around it, same environment.
export interface CacheInputs {
  format: typeof CACHE_FORMAT;
  package: { name: string; version: string; path: string; integrity: string };
  event: string;
  scriptSha256: string;
  node: { version: string; abi: string; execPath: string };
  platform: { os: string; arch: string; libc: string };
  sandbox: BackendInfo;
  traced: boolean;
  // The lockfile(s) of the project: a hook may read any installed package (its dependencies,
  // node-gyp's inputs), so any change to the installed tree is a different computation.
  tree: string;
  // The complete environment the hook runs with (npm config, PATH, INIT_CWD, ...).
  envSha256: string;
}

export interface CacheInputsContext {
  sandbox: BackendInfo;
  traced: boolean;
  tree: string;
  env: Record<string, string>;
}

// undefined when the hook cannot be identified well enough to reuse a result: a package
// without an integrity (a link, a git checkout, the project itself) may change without notice.
export function cacheInputs(hook: Hook, context: CacheInputsContext): CacheInputs | undefined {
  const integrity = hook.package.integrity;
  if (hook.isRoot || hook.workspace !== undefined || integrity === undefined) return undefined;
  return {
    format: CACHE_FORMAT,
    package: { name: hook.package.name, version: hook.package.version, path: hook.package.path, integrity },
    event: hook.event,
    scriptSha256: hook.scriptSha256,
    node: { version: process.version, abi: process.versions.modules, execPath: process.execPath },
    platform: { os: process.platform, arch: process.arch, libc: libcVersion() },
    sandbox: context.sandbox,
    traced: context.traced,
    tree: context.tree,
    envSha256: sha256(JSON.stringify(Object.entries(context.env).sort(([a], [b]) => (a < b ? -1 : 1)))),
  };
}

export function cacheKey(inputs: CacheInputs): string {
  return sha256(canonicalJson(inputs));
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'node_modules/.package-lock.json'];

// A digest of the installed tree as the lockfiles describe it; undefined without any lockfile,
// in which case nothing is cached.
export async function treeDigest(projectDir: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  let found = false;
  for (const name of LOCKFILES) {
    const content = await readFile(path.join(projectDir, name)).catch(() => undefined);
    if (content === undefined) continue;
    found = true;
    hash.update(`${name}\0${content.length}\0`).update(content);
  }
  return found ? `sha256:${hash.digest('hex')}` : undefined;
}

// JSON with keys sorted at every level, so equal inputs always hash alike.
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let libc: string | undefined;

// The C library the host's node (and every native build) links against; read once, since a
// process report takes a few milliseconds.
function libcVersion(): string {
  if (libc !== undefined) return libc;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  libc = header?.glibcVersionRuntime ? `glibc ${header.glibcVersionRuntime}` : 'unknown';
  return libc;
}
