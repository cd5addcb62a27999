import { openHookCache } from '../cache/cache-location.js';
import { HookboxError } from '../errors.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox cache prune [--max-age DAYS] [--all] [--cache-dir DIR]`: drop results not used for a
// while (30 days by default), or all of them, and the archives nothing refers to any more.
export async function cacheCommand(options: CliOptions): Promise<number> {
  const [action] = options.rest;
  if (action !== 'prune') {
    throw new HookboxError('ERR_HOOKBOX_USAGE', `unknown cache action "${action ?? ''}"`, { hint: 'Use `hookbox cache prune [--max-age DAYS] [--all]`.' });
  }
  const cache = await openHookCache(process.env, options.cacheDir);
  const removed = await cache.prune(options.all ? 0 : options.maxAgeDays);
  process.stdout.write(`hookbox: removed ${removed.entries} cached hook result(s) and ${removed.blobs} archive(s), ${Math.round(removed.bytes / 1024)} KiB, from ${cache.dir}\n`);
  return EXIT.ok;
}
