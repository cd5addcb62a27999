import type { Hook } from '../plan/hook.js';

// The part of the project a hook may change without any policy grant: its own package
// directory, never the nested node_modules inside it (those are other packages). For the root
// project's own scripts that is the project minus node_modules, .git, hookbox's state and the
// credential files hookbox hides.
export interface OwnArea {
  prefix: string;
  excluded: string[];
}

// The policy is excluded too: a hook must never be able to approve itself.
export const ROOT_EXCLUDED = ['node_modules', '.git', '.hookbox', '.npmrc', '.yarnrc', '.yarnrc.yml', '.env', 'hookbox.policy.json'];

// What no hook may change whatever the policy grants (even write: ["**"]): hookbox's own
// policy, state and reports (a hook that wrote them could approve itself, mark hooks as done,
// or forge a commit journal for the next run to roll forward) and the credential files hookbox
// hides from hooks.
const NEVER_WRITABLE = ['hookbox.policy.json', '.hookbox', 'node_modules/.hookbox', '.npmrc', '.yarnrc', '.yarnrc.yml', '.git/config'];

export function isNeverWritable(relative: string): boolean {
  return isEnvFile(relative) || NEVER_WRITABLE.some((entry) => relative === entry || relative.startsWith(entry + '/'));
}

export function ownArea(hook: Hook): OwnArea {
  const prefix = hook.package.path;
  const base = prefix === '' ? ROOT_EXCLUDED : ['node_modules'];
  return { prefix, excluded: base.map((entry) => join(prefix, entry)) };
}

export function isInArea(relative: string, area: OwnArea): boolean {
  if (area.prefix !== '' && relative !== area.prefix && !relative.startsWith(area.prefix + '/')) return false;
  if (area.prefix === '' && isEnvFile(relative)) return false;
  return !area.excluded.some((excluded) => relative === excluded || relative.startsWith(excluded + '/'));
}

// .env, .env.local, .env.production, ... at the project root hold secrets.
function isEnvFile(relative: string): boolean {
  return /^\.env(\..*)?$/.test(relative);
}

function join(prefix: string, entry: string): string {
  return prefix === '' ? entry : `${prefix}/${entry}`;
}
