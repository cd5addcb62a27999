import { readFile } from 'node:fs/promises';
import path from 'node:path';

// What yarn.lock says about one resolved package: where it came from and its checksum.
export interface YarnLockEntry {
  name: string;
  version: string;
  // Yarn 1: the tarball URL; Berry: the locator ("name@npm:1.2.3").
  resolved: string | undefined;
  // Yarn 1: the SRI integrity; Berry: the cache checksum ("10c0/…").
  integrity: string | undefined;
}

// Reads yarn.lock (classic or Berry) into entries keyed "name@version"; undefined when absent.
export async function readYarnLock(projectDir: string): Promise<Map<string, YarnLockEntry> | undefined> {
  const text = await readFile(path.join(projectDir, 'yarn.lock'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseYarnLock(text);
}

// Pure and tolerant: both formats are blocks of a descriptor header line and indented fields.
//   "@scope/a@^1.0.0", "@scope/a@~1.0.0":        (classic)   version "1.0.0"
//   "@scope/a@npm:^1.0.0":                        (Berry)     version: 1.0.0
// Lines it does not understand are skipped; a block without a version is ignored.
export function parseYarnLock(text: string): Map<string, YarnLockEntry> {
  const entries = new Map<string, YarnLockEntry>();
  let current: { name: string; fields: Map<string, string> } | undefined;
  const flush = (): void => {
    if (!current) return;
    const version = current.fields.get('version');
    if (version !== undefined && !entries.has(`${current.name}@${version}`)) {
      entries.set(`${current.name}@${version}`, {
        name: current.name,
        version,
        resolved: current.fields.get('resolved') ?? current.fields.get('resolution'),
        integrity: current.fields.get('integrity') ?? current.fields.get('checksum'),
      });
    }
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      flush();
      const first = unquote(line.replace(/:\s*$/, '').split(/,\s*/)[0] ?? '');
      const at = first.indexOf('@', 1);
      if (at > 0 && first !== '__metadata') current = { name: first.slice(0, at), fields: new Map() };
      continue;
    }
    // Only the block's own fields (two-space indent), not nested dependency maps.
    const field = /^ {2}([A-Za-z]+):?[ \t]+(.+)$/.exec(line);
    if (current && field) current.fields.set(field[1] as string, unquote((field[2] as string).trim()));
  }
  flush();
  return entries;
}

function unquote(value: string): string {
  return value.replace(/^"(.*)"$/, '$1');
}
