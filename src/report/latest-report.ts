import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';

// The newest report under <project>/.hookbox/reports (names sort by time).
export async function latestReport(projectDir: string): Promise<string> {
  const dir = path.join(projectDir, '.hookbox', 'reports');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
  const newest = names.at(-1);
  if (newest === undefined) {
    throw new HookboxError('ERR_HOOKBOX_REPORT', `no report found in ${dir}`, { hint: 'Run `hookbox install` first, or pass --from REPORT.' });
  }
  return path.join(dir, newest);
}
