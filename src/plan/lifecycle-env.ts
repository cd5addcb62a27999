import path from 'node:path';
import type { Hook } from './hook.js';
import type { Toolchain } from '../pm/toolchain.js';

// Home and temp directory inside the sandbox: empty tmpfs, never the user's.
export const SANDBOX_HOME = '/home/hookbox';

// Host variables a hook may see. Everything else (tokens, cloud keys, npm_config_* auth,
// SSH agent sockets) is dropped: the Shai-Hulud and s1ngularity stealers read exactly
// process.env. CI is passed through on purpose so that payloads gated on CI=true fire inside
// the sandbox, where they are recorded, instead of lying dormant until a real CI run.
const HARMLESS_VARIABLES = ['LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TERM', 'NO_COLOR', 'CI', 'SOURCE_DATE_EPOCH'];

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface LifecycleEnvInput {
  hook: Hook;
  projectDir: string;
  toolchain: Toolchain;
  hostEnv: NodeJS.ProcessEnv;
}

// The environment npm's run-script would give the hook (lifecycle variables, PATH with every
// ancestor node_modules/.bin and node-gyp's bin dir), built from scratch.
export function lifecycleEnv({ hook, projectDir, toolchain, hostEnv }: LifecycleEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of HARMLESS_VARIABLES) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(hostEnv)) {
    if (name.startsWith('LC_') && value !== undefined) env[name] = value;
  }
  const manifest = hook.manifest;
  Object.assign(env, {
    HOME: SANDBOX_HOME,
    USER: 'hookbox',
    LOGNAME: 'hookbox',
    SHELL: '/bin/sh',
    TMPDIR: '/tmp',
    PATH: searchPath(hook.packageDir, projectDir, toolchain).join(':'),
    INIT_CWD: projectDir,
    NODE: toolchain.nodePath,
    npm_node_execpath: toolchain.nodePath,
    npm_execpath: toolchain.npmCliPath,
    npm_command: 'install',
    npm_lifecycle_event: hook.event,
    npm_lifecycle_script: hook.script,
    npm_package_json: path.join(hook.packageDir, 'package.json'),
    npm_config_user_agent: `npm/${toolchain.npmVersion} node/${process.version} ${process.platform} ${process.arch} workspaces/false`,
    npm_config_local_prefix: projectDir,
    // gyp is Python: without this it writes __pycache__ into the node-gyp package it runs from
    // (Yarn Berry installs node-gyp into the project), which is another package's directory.
    PYTHONDONTWRITEBYTECODE: '1',
    // node-gyp must never download headers (there is no network): build against the headers
    // that ship with the node in use.
    ...(toolchain.nodeHeadersDir ? { npm_config_nodedir: toolchain.nodeHeadersDir } : {}),
    ...(toolchain.nodeGypPath ? { npm_config_node_gyp: toolchain.nodeGypPath } : {}),
  });
  Object.assign(env, packageEnvs(manifest));
  return env;
}

// Ancestor node_modules/.bin dirs, nearest first, as @npmcli/run-script's set-path does.
function searchPath(packageDir: string, projectDir: string, toolchain: Toolchain): string[] {
  const dirs: string[] = [];
  let dir = packageDir;
  for (;;) {
    if (path.basename(dir) !== 'node_modules') dirs.push(path.join(dir, 'node_modules/.bin'));
    if (dir === projectDir || dir === path.dirname(dir)) break;
    dir = path.dirname(dir);
  }
  if (toolchain.nodeGypBinDir) dirs.push(toolchain.nodeGypBinDir);
  dirs.push(path.dirname(toolchain.nodePath));
  for (const system of SYSTEM_PATH) if (!dirs.includes(system)) dirs.push(system);
  return dirs;
}

// npm_package_* for the fields npm exposes (name, version, config, engines, bin: npm RFC 183).
function packageEnvs(manifest: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  const add = (value: unknown, prefix: string): void => {
    if (value === undefined) return;
    if (value === null || value === false) env[prefix] = '';
    else if (Array.isArray(value)) value.forEach((item, index) => add(item, `${prefix}_${index}`));
    else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) add(inner, `${prefix}_${key}`);
    } else env[prefix] = String(value);
  };
  for (const field of ['name', 'version', 'config', 'engines', 'bin']) add(manifest[field], `npm_package_${field}`);
  // Variable names must stay plain identifiers even when package data is hostile.
  for (const key of Object.keys(env)) if (!/^[A-Za-z0-9_]+$/.test(key)) delete env[key];
  return env;
}
