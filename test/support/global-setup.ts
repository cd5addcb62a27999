import type { TestProject } from 'vitest/node';
import { publishFixtures, startRegistry } from '../../scripts/local-registry.mjs';
import './provided-context.js';

// One local registry (Verdaccio on 127.0.0.1, no uplinks) for the whole run, serving every
// fixture package; tests reach it through inject('registryUrl') and inject('registryNpmrc').
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const registry = await startRegistry();
  try {
    await publishFixtures(registry);
  } catch (error) {
    await registry.stop();
    throw error;
  }
  project.provide('registryUrl', registry.url);
  project.provide('registryNpmrc', registry.npmrcPath);
  return () => registry.stop();
}
