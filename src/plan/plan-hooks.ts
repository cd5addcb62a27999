import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { HOOK_EVENTS, type Hook, type HookEvent, type PackageIdentity } from './hook.js';
import { readLockfile, type LockfileEntry } from './lockfile.js';
import { readManifest, type Manifest } from './read-manifest.js';
import { depthOf, isValidPackageName, nameFromLocation } from './package-name.js';
import { scriptSha256 } from './script-hash.js';

export interface PlanOptions {
  // npm runs the root project's own install and prepare scripts only for a bare
  // `npm install` / `npm ci`, never for `npm install <pkg>` or `npm rebuild`.
  includeRoot: boolean;
  // The installed packages when no npm lockfile describes them (Yarn projects); by default the
  // npm lockfile, else a walk of node_modules.
  entries?: LockfileEntry[];
  // Whose rules decide which scripts run: npm's (and Yarn 1's, which follows npm), or Yarn
  // Berry's, which runs no `prepare` and adds `node-gyp rebuild` whenever there is no install
  // script (a preinstall does not suppress it).
  semantics?: 'npm' | 'yarn-berry';
}

const DEPENDENCY_EVENTS: readonly HookEvent[] = ['preinstall', 'install', 'postinstall'];

// Every install-time hook of the installed tree, in the order npm would run them.
export async function planHooks(projectDir: string, options: PlanOptions): Promise<Hook[]> {
  const lockfile = options.entries ? undefined : await readLockfile(projectDir);
  const entries = options.entries ?? (lockfile ? [...lockfile.entries.values()] : await walkNodeModules(projectDir));
  const semantics = options.semantics ?? 'npm';
  const hooks: Hook[] = [];
  for (const entry of entries) {
    if (entry.link) continue; // the link target has its own entry
    if (entry.location === '' && !options.includeRoot) continue;
    const isWorkspace = entry.location !== '' && !entry.location.split('/').includes('node_modules');
    const name = entry.location === '' || isWorkspace ? entry.name : (entry.name ?? nameFromLocation(entry.location));
    if (entry.location !== '' && !isWorkspace && (name === undefined || !isValidPackageName(name))) continue;
    if (!isSafeLocation(entry.location)) continue;
    const packageDir = path.join(projectDir, entry.location);
    const manifest = await readManifest(path.join(packageDir, 'package.json'));
    if (!manifest) continue; // optional dependency skipped on this platform, or not installed
    const identity: PackageIdentity = {
      name: name ?? manifest.name ?? path.basename(packageDir),
      version: entry.version ?? manifest.version ?? '0.0.0',
      path: entry.location,
      resolved: entry.resolved,
      integrity: entry.integrity,
    };
    const ownScripts = entry.location === '' || isWorkspace;
    const events = ownScripts && semantics === 'npm' ? HOOK_EVENTS : DEPENDENCY_EVENTS;
    const scripts = await installScripts(manifest, packageDir, semantics);
    for (const event of events) {
      const found = scripts.get(event);
      if (!found) continue;
      hooks.push({
        id: `${entry.location || '.'}#${event}`,
        package: identity,
        event,
        script: found.script,
        scriptSha256: scriptSha256(found.script),
        implicit: found.implicit,
        packageDir,
        depth: depthOf(entry.location),
        workspace: isWorkspace ? identity.name : undefined,
        isRoot: entry.location === '',
        manifest: manifest.raw,
      });
    }
  }
  return orderHooks(hooks);
}

// The scripts npm would run for a package, including the implicit `node-gyp rebuild` that
// npm adds for a binding.gyp when the package has neither an install nor a preinstall script
// (whatever the lockfile's hasInstallScript says: a tarball can ship binding.gyp silently).
async function installScripts(
  manifest: Manifest,
  packageDir: string,
  semantics: 'npm' | 'yarn-berry',
): Promise<Map<HookEvent, { script: string; implicit: 'node-gyp' | undefined }>> {
  const result = new Map<HookEvent, { script: string; implicit: 'node-gyp' | undefined }>();
  for (const event of HOOK_EVENTS) {
    const script = manifest.scripts[event];
    if (script !== undefined && script.trim() !== '') result.set(event, { script, implicit: undefined });
  }
  if (
    manifest.scripts['install'] === undefined &&
    (semantics === 'yarn-berry' || manifest.scripts['preinstall'] === undefined) &&
    manifest.gypfile !== false &&
    (await exists(path.join(packageDir, 'binding.gyp')))
  ) {
    result.set('install', { script: 'node-gyp rebuild', implicit: 'node-gyp' });
  }
  return result;
}

// npm's order (arborist rebuild): all preinstalls, then installs, then postinstalls, each
// queue shallowest first, then by location; the root project and workspaces come last.
export function orderHooks(hooks: Hook[]): Hook[] {
  const rank = (hook: Hook): number => (hook.isRoot ? 2 : hook.workspace !== undefined ? 1 : 0);
  return [...hooks].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.buildLevel ?? 0) - (b.buildLevel ?? 0) ||
      HOOK_EVENTS.indexOf(a.event) - HOOK_EVENTS.indexOf(b.event) ||
      a.depth - b.depth ||
      (a.package.path < b.package.path ? -1 : a.package.path > b.package.path ? 1 : 0),
  );
}

// A lockfile location must stay inside the project: no absolute paths, no "..".
function isSafeLocation(location: string): boolean {
  if (location === '') return true;
  if (path.isAbsolute(location) || location.includes('\\') || location.includes('\0')) return false;
  return location.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

// Without any lockfile, the installed tree itself is the inventory (no resolved/integrity).
async function walkNodeModules(projectDir: string): Promise<LockfileEntry[]> {
  const found: LockfileEntry[] = [entryAt('')];
  const visit = async (location: string): Promise<void> => {
    const dir = path.join(projectDir, location, 'node_modules');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      const scoped = name.startsWith('@') ? (await readdir(path.join(dir, name)).catch(() => [])).map((n) => `${name}/${n}`) : [name];
      for (const full of scoped) {
        const child = `${location ? location + '/' : ''}node_modules/${full}`;
        found.push(entryAt(child));
        await visit(child);
      }
    }
  };
  await visit('');
  return found;
}

function entryAt(location: string): LockfileEntry {
  return {
    location,
    name: undefined,
    version: undefined,
    resolved: undefined,
    integrity: undefined,
    link: false,
    hasInstallScript: false,
    optional: false,
    dev: false,
  };
}
