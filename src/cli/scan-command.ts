import { execa } from 'execa';
import path from 'node:path';
import registryFetch from 'npm-registry-fetch';
import { HookboxError } from '../errors.js';
import { loadPolicy } from '../policy/load-policy.js';
import { POLICY_FILE } from '../policy/policy.js';
import { scanProject } from '../scan/scan-project.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox scan [--json]`: the hooks an install would run and their policy status, running
// nothing. Exit 3 when any would be blocked, so CI can gate a lockfile change on it.
export async function scanCommand(options: CliOptions): Promise<number> {
  const projectDir = process.cwd();
  const policy = await loadPolicy(options.policy === undefined ? path.join(projectDir, POLICY_FILE) : path.resolve(options.policy), {
    required: options.policy !== undefined,
  });
  const registry = await npmRegistry(projectDir);
  const hooks = await scanProject(projectDir, policy, async (name, version) => {
    try {
      return await registryFetch.json(`/${name.replace('/', '%2f')}/${encodeURIComponent(version)}`, { registry });
    } catch (error) {
      throw new HookboxError('ERR_HOOKBOX_PM_FAILED', `could not fetch ${name}@${version} from ${registry}: ${(error as Error).message}`, {
        hint: 'Check the registry setting and your network, or install first (scan then reads node_modules).',
        cause: error,
      });
    }
  });
  if (options.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, policy: policy.file, hooks }, null, 2)}\n`);
  else {
    for (const hook of hooks) {
      process.stdout.write(`${hook.status.padEnd(10)} ${hook.name}@${hook.version} ${hook.event}: ${hook.script}\n`);
      if (hook.detail) process.stdout.write(`           ${hook.detail}\n`);
    }
    process.stdout.write(`${hooks.length} hook(s); ${hooks.filter((hook) => hook.status === 'unapproved' || hook.status === 'changed').length} would be blocked\n`);
  }
  return hooks.some((hook) => hook.status === 'unapproved' || hook.status === 'changed') ? EXIT.blocked : EXIT.ok;
}

// The registry npm would use here (project .npmrc, user config, environment).
async function npmRegistry(projectDir: string): Promise<string> {
  const result = await execa('npm', ['config', 'get', 'registry'], { cwd: projectDir, reject: false });
  const value = String(result.stdout ?? '').trim();
  return value.startsWith('http') ? value : 'https://registry.npmjs.org/';
}
