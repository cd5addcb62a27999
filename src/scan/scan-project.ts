import { existsSync } from 'node:fs';
import path from 'node:path';
import { HookboxError } from '../errors.js';
import type { HookEvent } from '../plan/hook.js';
import { readLockfile } from '../plan/lockfile.js';
import { nameFromLocation } from '../plan/package-name.js';
import { planHooks } from '../plan/plan-hooks.js';
import { scriptSha256 } from '../plan/script-hash.js';
import { matchingEntries } from '../policy/judge-hook.js';
import type { Policy } from '../policy/policy.js';

// What `hookbox scan` reports for one hook an install would run.
export interface ScanHook {
  name: string;
  version: string;
  path: string;
  event: HookEvent;
  script: string;
  scriptSha256: string;
  // Where the script text came from: the installed package, or the registry's manifest
  // (before node_modules exists).
  source: 'installed' | 'registry';
  status: 'approved' | 'changed' | 'unapproved' | 'project';
  detail: string | undefined;
}

// Fetches the published manifest of name@version (its scripts, with npm's implicit
// "node-gyp rebuild" already normalised in at publish time).
export type ManifestFetcher = (name: string, version: string) => Promise<Record<string, unknown>>;

const DEPENDENCY_EVENTS: HookEvent[] = ['preinstall', 'install', 'postinstall'];

// Lists the hooks an install would run and their policy status, running nothing: from the
// installed tree where it exists, else from the lockfile's hasInstallScript and the registry.
export async function scanProject(projectDir: string, policy: Policy, fetchManifest: ManifestFetcher): Promise<ScanHook[]> {
  const lockfile = await readLockfile(projectDir);
  if (!lockfile) {
    throw new HookboxError('ERR_HOOKBOX_LOCKFILE', `no package-lock.json in ${projectDir}`, {
      hint: 'Create one without running anything: npm install --package-lock-only --ignore-scripts',
    });
  }
  const installed = await planHooks(projectDir, { includeRoot: true });
  const results: ScanHook[] = installed.map((hook) => ({
    name: hook.package.name,
    version: hook.package.version,
    path: hook.package.path,
    event: hook.event,
    script: hook.script,
    scriptSha256: hook.scriptSha256,
    source: 'installed',
    ...judgePins(policy, hook.package.name, hook.package.version, hook.package.integrity, hook.event, hook.scriptSha256, hook.isRoot || hook.workspace !== undefined),
  }));
  for (const entry of lockfile.entries.values()) {
    if (entry.link || entry.location === '' || !entry.hasInstallScript) continue;
    if (existsSync(path.join(projectDir, entry.location, 'package.json'))) continue;
    const name = entry.name ?? nameFromLocation(entry.location);
    if (!name || !entry.version) continue;
    const manifest = await fetchManifest(name, entry.version);
    const scripts = (manifest['scripts'] ?? {}) as Record<string, unknown>;
    for (const event of DEPENDENCY_EVENTS) {
      const script = scripts[event];
      if (typeof script !== 'string' || script.trim() === '') continue;
      const sha = scriptSha256(script);
      results.push({
        name,
        version: entry.version,
        path: entry.location,
        event,
        script,
        scriptSha256: sha,
        source: 'registry',
        ...judgePins(policy, name, entry.version, entry.integrity, event, sha, false),
      });
    }
  }
  return results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : DEPENDENCY_EVENTS.indexOf(a.event) - DEPENDENCY_EVENTS.indexOf(b.event)));
}

function judgePins(
  policy: Policy,
  name: string,
  version: string,
  integrity: string | undefined,
  event: HookEvent,
  sha: string,
  ownCode: boolean,
): Pick<ScanHook, 'status' | 'detail'> {
  if (ownCode) return { status: 'project', detail: 'the project\'s own script' };
  const entries = matchingEntries(policy, { package: { name, version } } as Parameters<typeof matchingEntries>[1]);
  if (entries.length === 0) return { status: 'unapproved', detail: `no entry; would be blocked (hookbox approve ${name})` };
  for (const entry of entries) {
    if (entry.integrity !== undefined && entry.integrity !== integrity) return { status: 'changed', detail: `integrity changed since approval (${entry.key})` };
    const pinned = entry.scripts?.[event];
    if (entry.scripts !== undefined && pinned !== sha) return { status: 'changed', detail: `script changed since approval (${entry.key})` };
  }
  return { status: 'approved', detail: `allowed by ${entries.map((entry) => entry.key).join(', ')} (behaviour is still checked)` };
}
