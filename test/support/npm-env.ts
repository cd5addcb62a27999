import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';

// An environment for running npm against the test registry: this process's environment without
// the npm_config_* variables a parent npm/npx exported (they carry the developer's own npmrc,
// e.g. omit-lockfile-registry-resolved), plus the registry settings. The registry is given by
// variable, never by a project .npmrc: hookbox hides a project's .npmrc from hooks, so a test
// relying on one would test the wrong thing. The npm cache is shared by the run.
export function registryNpmEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_config_/i.test(key)) env[key] = value;
  }
  return { ...env, ...registrySettings(), ...extra };
}

// The npm settings that point npm at the test registry, with the run's shared npm cache.
export function registrySettings(): Record<string, string> {
  return {
    npm_config_registry: inject('registryUrl'),
    npm_config_userconfig: inject('registryNpmrc'),
    npm_config_cache: path.join(os.tmpdir(), 'hookbox-test-npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}
