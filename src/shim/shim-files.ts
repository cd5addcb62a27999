import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HookboxError } from '../errors.js';
import { SHIM_MARKER } from '../pm/find-executable.js';
import type { ShimTool } from './shim-route.js';

export const SHIM_TOOLS: readonly ShimTool[] = ['npm', 'yarn'];

// ~/.hookbox/shims unless HOOKBOX_SHIM_DIR or --dir says otherwise.
export function defaultShimDir(env: NodeJS.ProcessEnv): string {
  return env['HOOKBOX_SHIM_DIR'] ?? path.join(env['HOME'] ?? os.homedir(), '.hookbox', 'shims');
}

// The shim: a POSIX sh script that hands its arguments, untouched, to hookbox's shim entry,
// run by the node that installed it (absolute paths, so PATH order cannot redirect it).
export function shimScript(tool: ShimTool, nodePath: string, entryPath: string): string {
  return [
    '#!/bin/sh',
    SHIM_MARKER,
    `# Written by \`hookbox shim install\`: ${tool} installs run through hookbox (dependency hooks sandboxed);`,
    `# every other ${tool} command runs the real ${tool} found later on PATH. Remove with \`hookbox shim remove\`.`,
    `exec ${shellQuote(nodePath)} ${shellQuote(entryPath)} ${tool} "$@"`,
    '',
  ].join('\n');
}

export async function installShims(dir: string, nodePath: string, entryPath: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const tool of SHIM_TOOLS) {
    const file = path.join(dir, tool);
    await refuseForeignFile(file);
    await writeFile(`${file}.tmp`, shimScript(tool, nodePath, entryPath), { mode: 0o755 });
    await rename(`${file}.tmp`, file);
    written.push(file);
  }
  return written;
}

// Removes only files that are hookbox shims; anything else in the directory stays.
export async function removeShims(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const tool of SHIM_TOOLS) {
    const file = path.join(dir, tool);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined || !text.includes(SHIM_MARKER)) continue;
    await rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}

// The line to add to a shell profile or a CI step.
export function pathLine(dir: string): string {
  return `export PATH=${shellQuote(dir)}:"$PATH"`;
}

async function refuseForeignFile(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined && !text.includes(SHIM_MARKER)) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', `${file} exists and is not a hookbox shim; not overwriting it`, {
      hint: 'Choose another directory with --dir, or move that file away.',
    });
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
