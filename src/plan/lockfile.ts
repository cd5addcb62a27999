import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError, isErrno } from '../errors.js';

// One installed package as npm's lockfile (v2/v3 "packages" map) records it.
export interface LockfileEntry {
  // Key in the packages map: "node_modules/a/node_modules/b", "packages/ws-a", "" for the root.
  location: string;
  name: string | undefined;
  version: string | undefined;
  resolved: string | undefined;
  integrity: string | undefined;
  link: boolean;
  hasInstallScript: boolean;
  optional: boolean;
  dev: boolean;
}

export interface Lockfile {
  file: string;
  lockfileVersion: number;
  entries: Map<string, LockfileEntry>;
}

// Reads package-lock.json, or npm's hidden lockfile when the project keeps none
// (package-lock=false still writes node_modules/.package-lock.json).
export async function readLockfile(projectDir: string): Promise<Lockfile | undefined> {
  for (const relative of ['npm-shrinkwrap.json', 'package-lock.json', 'node_modules/.package-lock.json']) {
    const file = path.join(projectDir, relative);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) continue;
      throw error;
    }
    return parseLockfile(text, file);
  }
  return undefined;
}

// Pure: turns lockfile text into typed entries, naming the file and key on malformed input.
export function parseLockfile(text: string, file: string): Lockfile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new HookboxError('ERR_HOOKBOX_LOCKFILE', `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Restore the lockfile from version control, or delete it and run the install again.',
      cause: error,
    });
  }
  if (!isRecord(data)) {
    throw lockfileError(file, '(top level)', 'an object');
  }
  const lockfileVersion = data['lockfileVersion'];
  if (typeof lockfileVersion !== 'number') throw lockfileError(file, 'lockfileVersion', 'a number');
  const packages = data['packages'];
  if (lockfileVersion < 2 || !isRecord(packages)) {
    throw new HookboxError(
      'ERR_HOOKBOX_LOCKFILE',
      `${file} has lockfileVersion ${lockfileVersion} without a "packages" map; hookbox reads lockfile v2 and v3`,
      { hint: 'Run `npm install --package-lock-only` with npm 7 or newer to upgrade the lockfile.' },
    );
  }
  const entries = new Map<string, LockfileEntry>();
  for (const [location, raw] of Object.entries(packages)) {
    if (!isRecord(raw)) throw lockfileError(file, `packages["${location}"]`, 'an object');
    entries.set(location, {
      location,
      name: optionalString(raw, 'name', file, location),
      version: optionalString(raw, 'version', file, location),
      resolved: optionalString(raw, 'resolved', file, location),
      integrity: optionalString(raw, 'integrity', file, location),
      link: raw['link'] === true,
      hasInstallScript: raw['hasInstallScript'] === true,
      optional: raw['optional'] === true || raw['devOptional'] === true,
      dev: raw['dev'] === true,
    });
  }
  return { file, lockfileVersion, entries };
}

function optionalString(raw: Record<string, unknown>, key: string, file: string, location: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw lockfileError(file, `packages["${location}"].${key}`, 'a string');
  return value;
}

function lockfileError(file: string, key: string, expected: string): HookboxError {
  return new HookboxError('ERR_HOOKBOX_LOCKFILE', `${file}: ${key} must be ${expected}`, {
    hint: 'Restore the lockfile from version control, or delete it and run the install again.',
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
