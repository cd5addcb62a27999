import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ConfigEdit {
  file: string;
  // 'created', 'updated' (a setting changed or was added), or 'unchanged'.
  outcome: 'created' | 'updated' | 'unchanged';
}

// Turns install scripts off in the project's own package-manager config, so an install that
// bypasses hookbox (a plain `npm install` without the shim) runs no hook at all. Every other line
// of the files is kept as it was; only the one setting is replaced or appended.
export async function writeSecondLineOfDefence(projectDir: string): Promise<ConfigEdit[]> {
  return [
    await setLine(path.join(projectDir, '.npmrc'), /^[ \t]*ignore-scripts[ \t]*=.*$/m, 'ignore-scripts=true'),
    await setLine(path.join(projectDir, '.yarnrc.yml'), /^enableScripts[ \t]*:.*$/m, 'enableScripts: false'),
  ];
}

// Pure: the file's new text with `line` replacing the first match of `pattern`, or appended.
export function withSetting(text: string, pattern: RegExp, line: string): string {
  if (pattern.test(text)) return text.replace(pattern, line);
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
}

async function setLine(file: string, pattern: RegExp, line: string): Promise<ConfigEdit> {
  const before = await readFile(file, 'utf8').catch(() => undefined);
  const after = withSetting(before ?? '', pattern, line);
  if (after === before) return { file, outcome: 'unchanged' };
  await writeFile(`${file}.hookbox-tmp`, after);
  await rename(`${file}.hookbox-tmp`, file);
  return { file, outcome: before === undefined ? 'created' : 'updated' };
}
