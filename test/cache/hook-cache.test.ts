import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNRECORDED } from '../../src/behaviour/behaviour.js';
import { CACHE_FORMAT, cacheKey, type CacheInputs } from '../../src/cache/cache-key.js';
import { HookCache, type CachedRecord } from '../../src/cache/hook-cache.js';
import { scratchChanges } from '../../src/sandbox/scratch-changes.js';

const inputs: CacheInputs = {
  format: CACHE_FORMAT,
  package: { name: '@scope/pkg', version: '1.0.0', path: 'node_modules/@scope/pkg', integrity: 'sha512-abc' },
  event: 'install',
  scriptSha256: `sha256:${'1'.repeat(64)}`,
  node: { version: 'v20.0.0', abi: '115', execPath: '/usr/bin/node' },
  platform: { os: 'linux', arch: 'x64', libc: 'glibc 2.36' },
  sandbox: { name: 'bwrap', version: '0.8.0' },
  traced: true,
  tree: 'sha256:tree',
  envSha256: 'env',
};

// A scratch upper layer as a hook leaves it: a scoped package dir with a build output, a hard
// link (gyp "copies" with ln -f), a relative and an absolute symlink.
async function upperWithBuild(): Promise<{ upper: string; record: CachedRecord }> {
  const upper = await mkdtemp(path.join(os.tmpdir(), 'hookbox-cache-upper-'));
  const dir = path.join(upper, 'node_modules/@scope/pkg/build');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'addon.node'), 'binary');
  const { link, symlink } = await import('node:fs/promises');
  await link(path.join(dir, 'addon.node'), path.join(dir, 'copy.node'));
  await symlink('addon.node', path.join(dir, 'alias.node'));
  await symlink('/usr/bin/node', path.join(dir, 'node-absolute'));
  const changes = await scratchChanges(upper, await mkdtemp(path.join(os.tmpdir(), 'hookbox-cache-lower-')));
  const empty = { text: '', bytes: 0, truncated: false };
  return { upper, record: { behaviour: { ...UNRECORDED, recorded: true }, changes, exitCode: 0, durationMs: 5, stdout: { ...empty, text: 'built' }, stderr: empty } };
}

async function cacheWith(secret = 'secret'): Promise<HookCache> {
  return new HookCache(await mkdtemp(path.join(os.tmpdir(), 'hookbox-cache-')), Buffer.from(secret));
}

describe('HookCache', () => {
  it('returns a stored result with its files unpacked exactly as recorded', async () => {
    const cache = await cacheWith();
    const { upper, record } = await upperWithBuild();
    await cache.store(inputs, record, upper);
    const found = await cache.lookup(inputs);
    expect(found.kind).toBe('hit');
    if (found.kind !== 'hit') return;
    expect(found.record).toEqual(JSON.parse(JSON.stringify(record)));
    expect(await readFile(path.join(found.upperDir, 'node_modules/@scope/pkg/build/copy.node'), 'utf8')).toBe('binary');
    // Links come from the signed record, not the archive: the commit makes them from it.
    expect(found.record.changes.find((change) => change.path.endsWith('node-absolute'))).toMatchObject({ type: 'symlink', linkTarget: '/usr/bin/node' });
    await found.dispose();
  });

  it('misses when any input differs', async () => {
    const cache = await cacheWith();
    const { upper, record } = await upperWithBuild();
    await cache.store(inputs, record, upper);
    expect((await cache.lookup({ ...inputs, node: { ...inputs.node, abi: '127' } })).kind).toBe('miss');
    expect((await cache.lookup({ ...inputs, tree: 'sha256:other' })).kind).toBe('miss');
  });

  it('ignores an entry whose recorded behaviour was edited (it would hide a violation)', async () => {
    const cache = await cacheWith();
    const { upper, record } = await upperWithBuild();
    await cache.store({ ...inputs }, record, upper);
    const file = path.join(cache.dir, 'entries', `${cacheKey(inputs)}.json`);
    const entry = JSON.parse(await readFile(file, 'utf8')) as { record: CachedRecord };
    entry.record.stdout.text = 'edited';
    await writeFile(file, JSON.stringify(entry));
    expect(await cache.lookup(inputs)).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('integrity check') });
  });

  it('ignores an entry whose archive was swapped', async () => {
    const cache = await cacheWith();
    const { upper, record } = await upperWithBuild();
    await cache.store(inputs, record, upper);
    const [blob] = await readdir(path.join(cache.dir, 'blobs'));
    const file = path.join(cache.dir, 'blobs', blob ?? '');
    const bytes = await readFile(file);
    bytes[600] = (bytes[600] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    expect(await cache.lookup(inputs)).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('does not match its hash') });
  });

  it('ignores entries signed with another secret (a cache restored from elsewhere)', async () => {
    const cache = await cacheWith('mine');
    const { upper, record } = await upperWithBuild();
    await cache.store(inputs, record, upper);
    const foreign = new HookCache(cache.dir, Buffer.from('theirs'));
    expect((await foreign.lookup(inputs)).kind).toBe('invalid');
  });

  it('prune removes old entries and the archives nothing refers to', async () => {
    const cache = await cacheWith();
    const { upper, record } = await upperWithBuild();
    await cache.store(inputs, record, upper);
    expect(await cache.prune(30)).toMatchObject({ entries: 0, blobs: 0 });
    expect(await cache.prune(0)).toMatchObject({ entries: 1, blobs: 1 });
    expect((await cache.lookup(inputs)).kind).toBe('miss');
  });
});
