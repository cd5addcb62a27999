import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';

export type PackageManagerKind = 'npm' | 'yarn-classic' | 'yarn-berry';

export interface DetectedPackageManager {
  kind: PackageManagerKind;
  // What decided it, for messages: 'packageManager field', 'yarn.lock', ...
  reason: string;
}

// Which package manager a project uses: the package.json "packageManager" field wins (corepack's
// contract), then the lockfile on disk, then Yarn's own config files; a bare project is npm's.
export async function detectPackageManager(projectDir: string): Promise<DetectedPackageManager> {
  const manifestText = await readText(path.join(projectDir, 'package.json'));
  if (manifestText !== undefined) {
    let field: unknown;
    try {
      field = (JSON.parse(manifestText) as Record<string, unknown>)['packageManager'];
    } catch {
      field = undefined; // the planner reports a malformed package.json with its own error
    }
    if (typeof field === 'string') return fromPackageManagerField(field, path.join(projectDir, 'package.json'));
  }
  const yarnLock = await readText(path.join(projectDir, 'yarn.lock'));
  if (yarnLock !== undefined) {
    // Berry lockfiles are YAML with a __metadata block; classic ones say "yarn lockfile v1".
    if (/^__metadata:/m.test(yarnLock)) return { kind: 'yarn-berry', reason: 'yarn.lock (Berry format)' };
    return { kind: 'yarn-classic', reason: 'yarn.lock (v1 format)' };
  }
  for (const lockfile of ['package-lock.json', 'npm-shrinkwrap.json']) {
    if ((await readText(path.join(projectDir, lockfile))) !== undefined) return { kind: 'npm', reason: lockfile };
  }
  // A .yarnrc.yml alone may be just `hookbox init`'s enableScripts line; one that pins a Yarn
  // release (yarnPath, as `yarn set version` writes) makes it a Berry project.
  if (/^yarnPath:/m.test((await readText(path.join(projectDir, '.yarnrc.yml'))) ?? '')) return { kind: 'yarn-berry', reason: '.yarnrc.yml yarnPath' };
  return { kind: 'npm', reason: 'no lockfile (npm is the default)' };
}

// "yarn@4.5.0+sha512.…", "yarn@1.22.22", "npm@10.8.0".
export function fromPackageManagerField(value: string, file: string): DetectedPackageManager {
  const match = /^(npm|yarn|pnpm|bun)@(\d+)/.exec(value.trim());
  if (!match) {
    throw new HookboxError('ERR_HOOKBOX_MANIFEST', `${file}: "packageManager" is "${value}", expected e.g. "yarn@4.5.0" or "npm@10.8.0"`, {
      hint: 'Fix the packageManager field, or run hookbox npm … / hookbox yarn … to choose explicitly.',
    });
  }
  const [, name, major] = match;
  const reason = `packageManager field (${value.trim()})`;
  if (name === 'npm') return { kind: 'npm', reason };
  if (name === 'yarn') return { kind: Number(major) >= 2 ? 'yarn-berry' : 'yarn-classic', reason };
  throw new HookboxError('ERR_HOOKBOX_USAGE', `${file}: hookbox does not wrap ${name} (packageManager "${value}")`, {
    hint: 'hookbox wraps npm and Yarn; run the install with hookbox npm … or hookbox yarn … to choose one.',
  });
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
