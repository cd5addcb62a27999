import { readdir } from 'node:fs/promises';

// Project files that hold credentials, shown to hooks as empty files: registry tokens
// (.npmrc, .yarnrc*), app secrets (.env*), git remotes with embedded tokens (.git/config).
const ALWAYS_HIDDEN = ['.npmrc', '.yarnrc', '.yarnrc.yml', '.netrc', '.git-credentials', '.git/config'];

export async function hiddenProjectFiles(projectDir: string): Promise<string[]> {
  const names = await readdir(projectDir).catch(() => [] as string[]);
  const envFiles = names.filter((name) => /^\.env(\..*)?$/.test(name));
  return [...ALWAYS_HIDDEN, ...envFiles].sort();
}
