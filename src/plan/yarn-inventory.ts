import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { LockfileEntry } from './lockfile.js';
import { readManifest } from './read-manifest.js';
import { readYarnLock, type YarnLockEntry } from './yarn-lockfile.js';

// Where Yarn put the packages whose build scripts can run.
export type YarnLayout = 'node-modules' | 'pnp';

// The installed packages of a Yarn project, as planner entries: the root, its workspaces, and
// every real (not symlinked) package under node_modules, or under PnP every unplugged package
// (Yarn unplugs each package that has build scripts; the rest stay in read-only zip archives).
// Identity comes from yarn.lock where it has the package, never from the package.json alone.
export async function yarnInventory(projectDir: string, layout: YarnLayout, flavour: 'classic' | 'berry'): Promise<LockfileEntry[]> {
  const lock = (await readYarnLock(projectDir)) ?? new Map<string, YarnLockEntry>();
  const entries: LockfileEntry[] = [];
  for (const workspace of ['', ...(await workspaceDirs(projectDir))]) {
    // Berry names a workspace by its locator, "name@workspace:packages/a" ("…@workspace:." for the root).
    const name = (await readManifest(path.join(projectDir, workspace, 'package.json')).catch(() => undefined))?.name;
    const locator = flavour === 'berry' && name !== undefined ? `${name}@workspace:${workspace || '.'}` : undefined;
    entries.push({ ...entry(workspace, undefined), resolved: locator });
  }
  const locations = layout === 'pnp' ? await unpluggedLocations(projectDir) : await nodeModulesLocations(projectDir, entries.map((item) => item.location));
  for (const location of locations) {
    const manifest = await readManifest(path.join(projectDir, location, 'package.json')).catch(() => undefined);
    const key = manifest?.name !== undefined && manifest.version !== undefined ? `${manifest.name}@${manifest.version}` : undefined;
    entries.push(entry(location, key === undefined ? undefined : lock.get(key)));
  }
  return entries;
}

function entry(location: string, locked: YarnLockEntry | undefined): LockfileEntry {
  return {
    location,
    name: undefined,
    version: locked?.version,
    resolved: locked?.resolved,
    integrity: locked?.integrity,
    link: false,
    hasInstallScript: false,
    optional: false,
    dev: false,
  };
}

// Workspace directories (project-relative, sorted) matched by the root's "workspaces" globs.
export async function workspaceDirs(projectDir: string): Promise<string[]> {
  const root = await readManifest(path.join(projectDir, 'package.json'));
  const patterns = (root?.workspaces ?? []).map((pattern) => pattern.replace(/^\.\//, '').replace(/\/$/, ''));
  if (patterns.length === 0) return [];
  const depth = Math.max(...patterns.map((pattern) => (pattern.includes('**') ? 4 : pattern.split('/').length)));
  const found: string[] = [];
  const visit = async (relative: string, level: number): Promise<void> => {
    if (level > depth) return;
    const names = await readdir(path.join(projectDir, relative)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = relative ? `${relative}/${name}` : name;
      if (!(await lstat(path.join(projectDir, child)).catch(() => undefined))?.isDirectory()) continue;
      if (patterns.some((pattern) => minimatch(child, pattern)) && (await readFile(path.join(projectDir, child, 'package.json')).catch(() => undefined))) found.push(child);
      await visit(child, level + 1);
    }
  };
  await visit('', 1);
  return found;
}

// Every real package directory under the node_modules of the root and each workspace, nested
// ones included; symlinks (workspaces, link: dependencies) are not packages of their own here.
async function nodeModulesLocations(projectDir: string, roots: string[]): Promise<string[]> {
  const found: string[] = [];
  const visit = async (location: string): Promise<void> => {
    const base = location ? `${location}/node_modules` : 'node_modules';
    const names = await readdir(path.join(projectDir, base)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      const children = name.startsWith('@')
        ? (await readdir(path.join(projectDir, base, name)).catch(() => [] as string[])).sort().map((inner) => `${name}/${inner}`)
        : [name];
      for (const child of children) {
        const childLocation = `${base}/${child}`;
        if (!(await lstat(path.join(projectDir, childLocation)).catch(() => undefined))?.isDirectory()) continue;
        found.push(childLocation);
        await visit(childLocation);
      }
    }
  };
  for (const root of roots) await visit(root);
  return found;
}

// .yarn/unplugged/<slug>/node_modules/<name> for every unplugged package.
async function unpluggedLocations(projectDir: string): Promise<string[]> {
  const found: string[] = [];
  const base = '.yarn/unplugged';
  for (const slug of (await readdir(path.join(projectDir, base)).catch(() => [] as string[])).sort()) {
    const modules = `${base}/${slug}/node_modules`;
    for (const name of (await readdir(path.join(projectDir, modules)).catch(() => [] as string[])).sort()) {
      const names = name.startsWith('@') ? (await readdir(path.join(projectDir, modules, name)).catch(() => [] as string[])).map((inner) => `${name}/${inner}`) : [name];
      for (const full of names) {
        if ((await lstat(path.join(projectDir, modules, full)).catch(() => undefined))?.isDirectory()) found.push(`${modules}/${full}`);
      }
    }
  }
  return found;
}
