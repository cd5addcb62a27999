import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { HookboxError } from '../errors.js';
import { findExecutable } from './find-executable.js';

// The Node.js and npm a user's install would use. Hooks run with this node, not hookbox's own
// (DESIGN: "the sandbox must run hooks with the same Node the user's project uses").
export interface Toolchain {
  nodePath: string;
  nodePrefix: string;
  // Directory holding include/node/node_api.h, for offline node-gyp builds; undefined if absent.
  nodeHeadersDir: string | undefined;
  npmCliPath: string;
  npmRoot: string;
  npmVersion: string;
  nodeGypPath: string | undefined;
  nodeGypBinDir: string | undefined;
}

export function resolveToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const nodePath = realpathSync(findOnPath('node', env) ?? process.execPath);
  const nodePrefix = path.dirname(path.dirname(nodePath));
  const npmBin = findOnPath('npm', env);
  if (!npmBin) {
    throw new HookboxError('ERR_HOOKBOX_PM_NOT_FOUND', 'npm was not found on PATH', {
      hint: 'Install Node.js with npm, or put npm on PATH.',
    });
  }
  const npmRoot = findPackageRoot(realpathSync(npmBin), 'npm');
  const npmVersion = (JSON.parse(readFileSync(path.join(npmRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const nodeGypPath = firstExisting([path.join(npmRoot, 'node_modules/node-gyp/bin/node-gyp.js')]);
  const nodeGypBinDir = firstExisting([path.join(npmRoot, 'node_modules/@npmcli/run-script/lib/node-gyp-bin')]);
  const nodeHeadersDir = existsSync(path.join(nodePrefix, 'include/node/node_api.h')) ? nodePrefix : undefined;
  return {
    nodePath,
    nodePrefix,
    nodeHeadersDir,
    npmCliPath: path.join(npmRoot, 'bin/npm-cli.js'),
    npmRoot,
    npmVersion,
    nodeGypPath,
    nodeGypBinDir,
  };
}

// hookbox's own shims are skipped: the toolchain is the real npm behind them.
function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return findExecutable(name, env);
}

function findPackageRoot(file: string, name: string): string {
  let dir = path.dirname(file);
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
      } catch {
        // not the one
      }
    }
    dir = path.dirname(dir);
  }
  throw new HookboxError('ERR_HOOKBOX_PM_NOT_FOUND', `could not find the ${name} installation behind ${file}`, {
    hint: `Reinstall ${name}, or put its bin directory first on PATH.`,
  });
}

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((candidate) => existsSync(candidate));
}
