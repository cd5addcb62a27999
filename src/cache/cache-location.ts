import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HookboxError, isErrno } from '../errors.js';
import { HookCache } from './hook-cache.js';

// Where hook results are cached: --cache-dir, else $HOOKBOX_CACHE_DIR, else the user's cache
// directory (XDG), so CI can persist it between runs by pointing either at a kept path.
export function cacheDir(env: NodeJS.ProcessEnv, explicit: string | undefined): string {
  if (explicit) return path.resolve(explicit);
  if (env['HOOKBOX_CACHE_DIR']) return path.resolve(env['HOOKBOX_CACHE_DIR']);
  const base = env['XDG_CACHE_HOME'] || path.join(env['HOME'] || os.homedir(), '.cache');
  return path.join(base, 'hookbox', 'hooks-v1');
}

// The secret that signs cache entries: $HOOKBOX_CACHE_SECRET (CI sets it from its secret
// store), else a key file made on first use in the user's config directory, outside the cache.
export async function cacheSecret(env: NodeJS.ProcessEnv): Promise<Buffer> {
  if (env['HOOKBOX_CACHE_SECRET']) return Buffer.from(env['HOOKBOX_CACHE_SECRET'], 'utf8');
  const base = env['XDG_CONFIG_HOME'] || path.join(env['HOME'] || os.homedir(), '.config');
  const file = path.join(base, 'hookbox', 'cache.key');
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(text)) return Buffer.from(text, 'hex');
    throw new HookboxError('ERR_HOOKBOX_CACHE', `${file} is not a cache key (64 hex digits)`, { hint: `Delete ${file}; hookbox makes a new one (cached results are then re-run once).` });
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  const key = randomBytes(32).toString('hex');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return Buffer.from(key, 'hex');
  } catch (error) {
    // Another hookbox made it first: use theirs.
    if (isErrno(error, 'EEXIST')) return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    throw error;
  }
}

export async function openHookCache(env: NodeJS.ProcessEnv, explicitDir: string | undefined): Promise<HookCache> {
  return new HookCache(cacheDir(env, explicitDir), await cacheSecret(env));
}
