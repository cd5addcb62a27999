import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { publishFixtures } from '../../scripts/local-registry.mjs';

// Yarn Berry adds a dependency on node-gyp to every package whose published scripts call it
// (native-addon's registry manifest says "install": "node-gyp rebuild"), so a registry without
// node-gyp cannot serve a Berry install of a native addon. The local registry has no uplink;
// it gets the real node-gyp, and everything it depends on, from the copy bundled with npm.
// Published on demand (about 20 packages, seconds of npm publish) by the tests that need it;
// a version already there is skipped.
export async function publishNodeGyp(): Promise<void> {
  await publishFixtures({ url: inject('registryUrl'), npmrcPath: inject('registryNpmrc') }, nodeGypPackageDirs());
}

export function nodeGypPackageDirs(): string[] {
  const npmBin = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  let npmRoot = path.dirname(realpathSync(npmBin));
  while (!existsSync(path.join(npmRoot, 'node_modules', 'node-gyp', 'package.json'))) {
    const up = path.dirname(npmRoot);
    if (up === npmRoot) throw new Error(`no node-gyp bundled with the npm at ${npmBin}`);
    npmRoot = up;
  }
  const seen = new Map<string, string>();
  const queue = [path.join(npmRoot, 'node_modules', 'node-gyp')];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
    const id = `${manifest.name}@${manifest.version}`;
    if (seen.has(id)) continue;
    seen.set(id, dir);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) queue.push(resolveFrom(dir, dependency));
  }
  return [...seen.values()];
}

// Node's lookup: the nearest node_modules/<name> walking up from the dependent.
function resolveFrom(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name}, a dependency of ${from}, is not installed next to it`);
  }
}
