// The allowlist: which packages' hooks may keep their results, and what behaviour each may
// show beyond its own package directory. Committed as hookbox.policy.json at the project root.

export const POLICY_FILE = 'hookbox.policy.json';
export const POLICY_VERSION = 1;

export interface Policy {
  file: string;
  version: typeof POLICY_VERSION;
  entries: PolicyEntry[];
}

export interface PolicyEntry {
  // The key as written: "esbuild@^0.25.0", "@scope/pkg@1.2.3".
  key: string;
  name: string;
  // A semver range; an exact version is a range too.
  range: string;
  // Pins: when set, a package whose integrity or hook script differs is blocked for review.
  integrity: string | undefined;
  scripts: Partial<Record<string, string>> | undefined;
  // Programs the hook may execute (basename or absolute path); undefined means any.
  exec: string[] | undefined;
  // Project-relative globs the hook may write beyond its own package directory.
  write: string[];
  // Sensitive paths (globs) the hook may read.
  read: string[];
  // "host:port", "host", "ip:port" destinations the hook may reach; network is off otherwise.
  network: string[];
}
