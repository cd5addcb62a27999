import type { Hook } from '../plan/hook.js';

// Splits an ordered plan into phases that must run one after another, as npm does: all
// dependency preinstalls, then installs, then postinstalls; then each workspace's and the
// root project's own scripts, one at a time. Hooks within a phase are independent. Under Yarn
// Berry each build level (see Hook.buildLevel) gets its own phases, after the level below.
export function phases(hooks: Hook[]): Hook[][] {
  const result: Hook[][] = [];
  let current: Hook[] = [];
  let currentKey: string | undefined;
  for (const hook of hooks) {
    const key = hook.isRoot || hook.workspace !== undefined ? hook.id : `deps#${hook.buildLevel ?? 0}#${hook.event}`;
    if (key !== currentKey && current.length > 0) {
      result.push(current);
      current = [];
    }
    currentKey = key;
    current.push(hook);
  }
  if (current.length > 0) result.push(current);
  return result;
}

// Runs tasks with at most `limit` in flight, keeping results in input order.
export async function runBounded<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
