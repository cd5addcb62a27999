import type { Hook } from '../plan/hook.js';
import { orderHooks } from '../plan/plan-hooks.js';
import { packagesByLocator, readBerryInstallState } from './yarn-berry-state.js';

// Yarn Berry's build order (Project.linkEverything): a package builds once none of its direct
// dependencies is still waiting to build; packages that are ready build in parallel. Each
// hook gets the level at which Yarn would build its package: 0 without buildable dependencies,
// else one more than the highest of theirs. Without Yarn's install state the plan keeps npm's
// order.
export async function withBerryBuildOrder(projectDir: string, hooks: Hook[]): Promise<Hook[]> {
  const state = await readBerryInstallState(projectDir);
  if (!state) return hooks;
  const byLocator = packagesByLocator(state);
  const buildable = new Set<string>();
  for (const hook of hooks) {
    const pkg = hook.package.resolved === undefined ? undefined : byLocator.get(hook.package.resolved);
    if (pkg) buildable.add(pkg.locatorHash);
  }
  const levels = new Map<string, number>();
  const level = (locatorHash: string, stack: Set<string>): number => {
    const known = levels.get(locatorHash);
    if (known !== undefined) return known;
    if (stack.has(locatorHash)) return 0; // a cycle: Yarn reports it; hookbox just does not loop
    stack.add(locatorHash);
    let result = 0;
    for (const descriptor of state.storedPackages.get(locatorHash)?.dependencies.values() ?? []) {
      const resolution = state.storedResolutions.get(descriptor.descriptorHash);
      if (resolution !== undefined && buildable.has(resolution)) result = Math.max(result, level(resolution, stack) + 1);
    }
    stack.delete(locatorHash);
    levels.set(locatorHash, result);
    return result;
  };
  return orderHooks(
    hooks.map((hook) => {
      const pkg = hook.package.resolved === undefined ? undefined : byLocator.get(hook.package.resolved);
      return pkg ? { ...hook, buildLevel: level(pkg.locatorHash, new Set()) } : hook;
    }),
  );
}
