import { access, cp, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The brief and existing tests import requireTool from here; it lives in tools.ts.
export { hasTool, requireTool } from './tools.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_SCOPE = '@hookbox-fixtures';

// Files a fixture project must never carry into a test: npm's config comes from the test's
// environment (hookbox hides a project .npmrc from hooks), and a lockfile or node_modules
// would pin the port of a registry that no longer runs.
const NOT_COPIED = new Set(['.npmrc', 'node_modules', 'package-lock.json']);

// The full name of a fixture package: fixture('plain-lib') is '@hookbox-fixtures/plain-lib'.
export function fixture(name: string): string {
  return `${FIXTURE_SCOPE}/${name}`;
}

// Copies fixtures/projects/<name> into a fresh temp dir and returns that dir.
export async function copyFixtureProject(name: string): Promise<string> {
  const source = path.join(REPO_ROOT, 'fixtures', 'projects', name);
  await access(path.join(source, 'package.json')).catch((cause: unknown) => {
    throw new Error(`no fixture project ${name}: ${source}/package.json does not exist`, { cause });
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), `hookbox-${name}-`));
  await cp(source, dir, { recursive: true, filter: (file) => !NOT_COPIED.has(path.basename(file)) });
  return dir;
}

// A fresh temp project whose package.json has these dependencies (and any extra top-level
// keys, e.g. scripts); fixtureDependencies() builds the dependencies for fixture packages.
export async function makeProject(dependencies: Record<string, string>, extra: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-project-'));
  const manifest = { name: 'hookbox-test-project', version: '1.0.0', private: true, dependencies, ...extra };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

// { '@hookbox-fixtures/<name>': '^1.0.0', ... } for the named fixture packages.
export function fixtureDependencies(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [fixture(name), '^1.0.0']));
}

// Writes hookbox.policy.json into a project with these package entries.
export async function writePolicy(dir: string, packages: Record<string, unknown>): Promise<void> {
  await writeFile(path.join(dir, 'hookbox.policy.json'), `${JSON.stringify({ version: 1, packages }, null, 2)}\n`);
}

// Policy entries that allow fixture packages at any version, with no pins and no limits.
export function allow(...names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [`${fixture(name)}@*`, {}]));
}

// A fresh project depending on these fixture packages, with a policy when one is given.
export async function fixtureProject(names: string[], policy?: Record<string, unknown>): Promise<string> {
  const dir = await makeProject(fixtureDependencies(...names));
  if (policy) await writePolicy(dir, policy);
  return dir;
}
