import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';
import { findExecutable } from './find-executable.js';

// How to start the project's Yarn: a release pinned by .yarnrc.yml's yarnPath (run with the
// project's node), else the first real `yarn` on PATH (a global Yarn 1 or corepack's shim,
// which honours the packageManager field).
export interface YarnBinary {
  file: string;
  prefixArgs: string[];
}

export async function resolveYarnBinary(projectDir: string, nodePath: string, env: NodeJS.ProcessEnv): Promise<YarnBinary> {
  const yarnPath = await configuredYarnPath(projectDir);
  if (yarnPath !== undefined) return { file: nodePath, prefixArgs: [path.resolve(projectDir, yarnPath)] };
  const found = findExecutable('yarn', env);
  if (!found) {
    throw new HookboxError('ERR_HOOKBOX_PM_NOT_FOUND', 'yarn was not found on PATH', {
      hint: 'Install Yarn (npm install -g yarn, or corepack enable), or set yarnPath in .yarnrc.yml.',
    });
  }
  return { file: found, prefixArgs: [] };
}

// The yarnPath setting of the project's .yarnrc.yml, if any (a top-level scalar).
export async function configuredYarnPath(projectDir: string): Promise<string | undefined> {
  const text = await readFile(path.join(projectDir, '.yarnrc.yml'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const match = /^yarnPath:[ \t]*(.+?)[ \t]*$/m.exec(text);
  if (!match) return undefined;
  return (match[1] as string).replace(/^(["'])(.*)\1$/, '$2');
}

// The top-level nodeLinker of a Berry project: "pnp" (Yarn's default), "node-modules" or "pnpm".
export async function configuredNodeLinker(projectDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const fromEnv = env['YARN_NODE_LINKER'];
  if (fromEnv) return fromEnv;
  const text = await readFile(path.join(projectDir, '.yarnrc.yml'), 'utf8').catch(() => '');
  const match = /^nodeLinker:[ \t]*["']?([a-z-]+)["']?[ \t]*$/m.exec(text);
  return match ? (match[1] as string) : 'pnp';
}
