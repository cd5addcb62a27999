import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HookResult } from '../install/hook-result.js';

// Keeps Yarn 1's view of node_modules consistent with the hooks hookbox ran, so a later plain
// `yarn install` neither re-links the tree (deleting what hooks built) nor re-runs scripts:
// - the "ignoreScripts" flag from our scripts-off install is dropped: with it, the next install
//   sees different flags, re-links every package and removes "extraneous" files such as a
//   compiled addon;
// - files that kept hooks created are listed as the package's build "artifacts", which Yarn 1
//   exempts from that removal (it records them the same way after running a script itself).
export async function recordClassicBuilds(projectDir: string, results: HookResult[]): Promise<void> {
  const file = path.join(projectDir, 'node_modules', '.yarn-integrity');
  let integrity: Record<string, unknown>;
  try {
    integrity = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return; // no integrity file: Yarn re-checks everything anyway
  }
  if (Array.isArray(integrity['flags'])) integrity['flags'] = integrity['flags'].filter((flag) => flag !== 'ignoreScripts');
  const artifacts = (typeof integrity['artifacts'] === 'object' && integrity['artifacts'] !== null ? integrity['artifacts'] : {}) as Record<string, string[]>;
  for (const result of results) {
    const { hook } = result;
    if (hook.isRoot || hook.workspace !== undefined || result.kept.length === 0) continue;
    const key = `${hook.package.name}@${hook.package.version}`;
    const prefix = `${hook.package.path}/`;
    const files = result.kept
      .filter((change) => change.kind !== 'deleted' && change.type !== 'dir' && change.path.startsWith(prefix))
      .map((change) => change.path.slice(prefix.length));
    artifacts[key] = [...new Set([...(artifacts[key] ?? []), ...files])].sort();
  }
  integrity['artifacts'] = artifacts;
  await writeFile(`${file}.tmp`, JSON.stringify(integrity, null, 2));
  await rename(`${file}.tmp`, file);
}
