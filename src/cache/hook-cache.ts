import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import type { HookBehaviour } from '../behaviour/behaviour.js';
import type { CapturedOutput } from '../sandbox/captured-output.js';
import type { FileChange } from '../sandbox/file-change.js';
import { hashFile } from '../sandbox/scratch-changes.js';
import { CACHE_FORMAT, cacheKey, canonicalJson, type CacheInputs } from './cache-key.js';
import { makeTempDir } from '../temp-dir.js';

// What a successful hook run produced: enough to judge it again and to apply its changes
// without running it.
export interface CachedRecord {
  behaviour: HookBehaviour;
  changes: FileChange[];
  exitCode: number | undefined;
  durationMs: number;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
}

interface CacheEntry {
  format: typeof CACHE_FORMAT;
  key: string;
  inputs: CacheInputs;
  createdAt: string;
  record: CachedRecord;
  // The archive of every added or modified file, directory and link; null when there is none.
  blob: { sha256: string; size: number } | null;
  // HMAC-SHA256 over everything above with a secret that never lives in the cache directory:
  // a cache restored from somewhere else (a CI cache written by another branch) cannot forge it.
  mac: string;
}

export type CacheLookup =
  | { kind: 'miss' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'hit'; record: CachedRecord; upperDir: string; dispose(): Promise<void> };

export class HookCache {
  readonly dir: string;
  readonly #secret: Buffer;

  constructor(dir: string, secret: Buffer) {
    this.dir = dir;
    this.#secret = secret;
  }

  // A verified entry with its files unpacked into a scratch upper directory, or why not.
  async lookup(inputs: CacheInputs): Promise<CacheLookup> {
    const key = cacheKey(inputs);
    const file = this.#entryFile(key);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return { kind: 'miss' };
    let entry: CacheEntry;
    try {
      entry = JSON.parse(text) as CacheEntry;
    } catch {
      return { kind: 'invalid', reason: `${file} is not valid JSON` };
    }
    if (entry.format !== CACHE_FORMAT || entry.key !== key || canonicalJson(entry.inputs) !== canonicalJson(inputs)) {
      return { kind: 'invalid', reason: `${file} does not describe this hook` };
    }
    if (!this.#macMatches(entry)) return { kind: 'invalid', reason: `${file} fails its integrity check (tampered, or written with another cache secret)` };
    const upperDir = await makeTempDir('cached');
    // maxRetries: a failed unpack can reject while node-tar still writes, so a first rmdir may
    // meet ENOTEMPTY; a cache that cannot be cleaned up is a leftover temp dir, not a crash.
    const dispose = (): Promise<void> => rm(upperDir, { recursive: true, force: true, maxRetries: 5 });
    try {
      if (entry.blob) await this.#unpack(entry.blob, upperDir);
      const mismatch = await firstMismatch(entry.record.changes, upperDir);
      if (mismatch) throw new Error(mismatch);
    } catch (error) {
      await dispose().catch(() => undefined);
      return { kind: 'invalid', reason: `${file}: ${(error as Error).message}` };
    }
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return { kind: 'hit', record: entry.record, upperDir, dispose };
  }

  async store(inputs: CacheInputs, record: CachedRecord, upperDir: string): Promise<void> {
    const key = cacheKey(inputs);
    await mkdir(path.join(this.dir, 'blobs'), { recursive: true });
    await mkdir(path.join(this.dir, 'entries'), { recursive: true });
    // "./" first: node-tar reads a path starting with "@" (every scoped package) as an archive to splice in.
    // Links are not archived: the signed record holds their targets and the commit makes them
    // from it (node-tar refuses absolute link targets on extraction).
    const present = record.changes.filter((change) => change.kind !== 'deleted' && change.type !== 'symlink').map((change) => `./${change.path}`);
    let blob: CacheEntry['blob'] = null;
    if (present.length > 0) {
      const staging = path.join(this.dir, 'blobs', `.staging-${process.pid}-${key.slice(0, 16)}.tar`);
      // One entry at a time: with parallel jobs node-tar stalls on a hard link whose first name
      // is still being written (gyp "copies" addon.node with ln -f).
      await pipeline(tar.c({ cwd: upperDir, portable: true, noDirRecurse: true, jobs: 1 }, present), createWriteStream(staging));
      const sha256 = await hashFile(staging);
      const size = (await stat(staging)).size;
      await rename(staging, this.#blobFile(sha256));
      blob = { sha256, size };
    }
    const body = { format: CACHE_FORMAT, key, inputs, createdAt: new Date().toISOString(), record, blob } as const;
    const entry: CacheEntry = { ...body, mac: this.#mac(body) };
    const file = this.#entryFile(key);
    await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(entry));
    await rename(`${file}.${process.pid}.tmp`, file);
  }

  // Removes entries not used for maxAgeDays (all with 0) and archives no entry refers to.
  async prune(maxAgeDays: number): Promise<{ entries: number; blobs: number; bytes: number }> {
    const cutoff = Date.now() - maxAgeDays * 86_400_000;
    const removed = { entries: 0, blobs: 0, bytes: 0 };
    const referenced = new Set<string>();
    const entriesDir = path.join(this.dir, 'entries');
    for (const name of await readdir(entriesDir).catch(() => [] as string[])) {
      const file = path.join(entriesDir, name);
      const info = await stat(file);
      const entry = await readFile(file, 'utf8').then((text) => JSON.parse(text) as CacheEntry).catch(() => undefined);
      if (maxAgeDays <= 0 || info.mtimeMs < cutoff || entry === undefined || !name.endsWith('.json')) {
        await rm(file, { force: true });
        removed.entries++;
        removed.bytes += info.size;
      } else if (entry.blob) referenced.add(entry.blob.sha256);
    }
    const blobsDir = path.join(this.dir, 'blobs');
    for (const name of await readdir(blobsDir).catch(() => [] as string[])) {
      if (referenced.has(name.replace(/\.tar$/, ''))) continue;
      const file = path.join(blobsDir, name);
      removed.bytes += (await stat(file)).size;
      await rm(file, { force: true });
      removed.blobs++;
    }
    return removed;
  }

  #entryFile(key: string): string {
    return path.join(this.dir, 'entries', `${key}.json`);
  }

  #blobFile(sha256: string): string {
    return path.join(this.dir, 'blobs', `${sha256}.tar`);
  }

  #mac(body: Omit<CacheEntry, 'mac'>): string {
    return createHmac('sha256', this.#secret).update(canonicalJson(body)).digest('hex');
  }

  #macMatches(entry: CacheEntry): boolean {
    const { mac, ...body } = entry;
    const expected = Buffer.from(this.#mac(body), 'hex');
    const actual = Buffer.from(typeof mac === 'string' ? mac : '', 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  async #unpack(blob: NonNullable<CacheEntry['blob']>, upperDir: string): Promise<void> {
    const file = this.#blobFile(blob.sha256);
    const actual = await hashFile(file).catch(() => undefined);
    if (actual === undefined) throw new Error(`its archive ${file} is missing`);
    if (actual !== blob.sha256) throw new Error(`its archive ${file} does not match its hash`);
    await tar.x({ cwd: upperDir, file, strict: true, preserveOwner: false });
  }
}

// The unpacked archive must hold exactly the recorded changes: what is applied is what was judged.
async function firstMismatch(changes: FileChange[], upperDir: string): Promise<string | undefined> {
  for (const change of changes) {
    if (change.kind === 'deleted' || change.type === 'symlink') continue;
    const file = path.join(upperDir, change.path);
    const info = await lstat(file).catch(() => undefined);
    if (!info) return `${change.path} is missing from its archive`;
    if (change.type === 'dir' && !info.isDirectory()) return `${change.path} is not a directory in its archive`;
    if (change.type === 'file' && (!info.isFile() || info.size !== change.size || (await hashFile(file)) !== change.sha256)) {
      return `${change.path} differs from the recorded file`;
    }
  }
  return undefined;
}
