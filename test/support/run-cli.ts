import { execa } from 'execa';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { registrySettings } from './npm-env.js';
import { REPO_ROOT } from './project.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  report: Report | undefined;
}

// A fresh HOME for the host side of a test, so canary credentials planted there are the only
// ones in play and nothing of the machine's own home is touched.
export async function makeHome(files: Record<string, string> = {}): Promise<string> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'hookbox-home-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(home, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return home;
}

// The environment a user's shell would have, pointed at the test registry.
export function registryEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    ...(process.env['HOOKBOX_DEBUG'] ? { HOOKBOX_DEBUG: '1' } : {}),
    ...registrySettings(),
    ...extra,
  };
}

// Runs the built hookbox CLI as a user would, and reads the report it wrote.
export async function runHookbox(args: string[], options: { cwd: string; env: Record<string, string> }): Promise<CliRun> {
  const result = await execa(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env, extendEnv: false, reject: false, timeout: 300_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), report: await newestReport(options.cwd) };
}

export async function newestReport(projectDir: string): Promise<Report | undefined> {
  const dir = path.join(projectDir, '.hookbox', 'reports');
  const newest = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort().at(-1);
  return newest ? (JSON.parse(await readFile(path.join(dir, newest), 'utf8')) as Report) : undefined;
}

export function hookOf(report: Report | undefined, name: string, event?: string): Report['hooks'][number] {
  const hook = report?.hooks.find((entry) => entry.package.name === name && (event === undefined || entry.event === event));
  if (!hook) throw new Error(`no ${name} ${event ?? ''} hook in the report: ${JSON.stringify(report?.hooks.map((entry) => entry.id))}`);
  return hook;
}
