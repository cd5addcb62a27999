// The typed plan entry that flows from the planner to the sandbox, the recorder and the policy.

export type HookEvent = 'preinstall' | 'install' | 'postinstall' | 'prepare';

// Install-time events in the order npm runs them for one package.
export const HOOK_EVENTS: readonly HookEvent[] = ['preinstall', 'install', 'postinstall', 'prepare'];

// Who a package is, taken from the lockfile (resolved + integrity), never from the tarball's
// package.json alone: that file is attacker-controlled and can claim any name.
export interface PackageIdentity {
  name: string;
  version: string;
  // Project-relative location, POSIX separators: "node_modules/a/node_modules/b"; "" for the root.
  path: string;
  resolved: string | undefined;
  integrity: string | undefined;
}

export interface Hook {
  // Stable and unique within one plan: "<path>#<event>".
  id: string;
  package: PackageIdentity;
  event: HookEvent;
  script: string;
  scriptSha256: string;
  // "node-gyp" when npm would run `node-gyp rebuild` for a binding.gyp with no install script.
  implicit: 'node-gyp' | undefined;
  // Absolute directory the script runs in.
  packageDir: string;
  // Number of node_modules segments in the path: npm runs shallower packages first.
  depth: number;
  // Yarn Berry builds a package only after its buildable dependencies: how many layers of them
  // come first (0 when none, and for npm, which orders by event and depth instead).
  buildLevel?: number;
  // Set for the root project and workspace packages, whose own scripts npm runs too.
  workspace: string | undefined;
  isRoot: boolean;
  // Parsed package.json of the package, for npm_package_* variables.
  manifest: Record<string, unknown>;
}
