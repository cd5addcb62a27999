import { readFile } from 'node:fs/promises';
import { HookboxError, isErrno } from '../errors.js';
import { isRecord } from './lockfile.js';

export interface Manifest {
  raw: Record<string, unknown>;
  name: string | undefined;
  version: string | undefined;
  scripts: Record<string, string>;
  // package.json "gypfile": false opts out of the implicit node-gyp rebuild.
  gypfile: boolean | undefined;
  workspaces: string[];
}

// Reads a package.json; a missing file is undefined, a malformed one an error naming it.
export async function readManifest(file: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
    throw error;
  }
  return parseManifest(text, file);
}

export function parseManifest(text: string, file: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new HookboxError('ERR_HOOKBOX_MANIFEST', `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Fix the JSON syntax of that package.json.',
      cause: error,
    });
  }
  if (!isRecord(data)) {
    throw new HookboxError('ERR_HOOKBOX_MANIFEST', `${file} must contain a JSON object`, {
      hint: 'A package.json is an object such as {"name": "x", "version": "1.0.0"}.',
    });
  }
  const scripts: Record<string, string> = {};
  const rawScripts = data['scripts'];
  if (isRecord(rawScripts)) {
    // npm ignores non-string script values; so do we, rather than refusing a whole install.
    for (const [key, value] of Object.entries(rawScripts)) if (typeof value === 'string') scripts[key] = value;
  }
  const rawWorkspaces = data['workspaces'];
  const workspaceList = Array.isArray(rawWorkspaces)
    ? rawWorkspaces
    : isRecord(rawWorkspaces) && Array.isArray(rawWorkspaces['packages'])
      ? rawWorkspaces['packages']
      : [];
  return {
    raw: data,
    name: typeof data['name'] === 'string' ? data['name'] : undefined,
    version: typeof data['version'] === 'string' ? data['version'] : undefined,
    scripts,
    gypfile: typeof data['gypfile'] === 'boolean' ? data['gypfile'] : undefined,
    workspaces: workspaceList.filter((item): item is string => typeof item === 'string'),
  };
}
