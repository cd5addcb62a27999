import path from 'node:path';
import { writeSecondLineOfDefence } from '../init/second-line-of-defence.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox init`: scripts off in .npmrc and .yarnrc.yml, so an install that bypasses hookbox
// runs no hook; hookbox itself installs with scripts off anyway and runs them sandboxed.
export async function initCommand(_options: CliOptions): Promise<number> {
  const projectDir = process.cwd();
  for (const edit of await writeSecondLineOfDefence(projectDir)) {
    const name = path.relative(projectDir, edit.file);
    const what = edit.file.endsWith('.npmrc') ? 'ignore-scripts=true' : 'enableScripts: false';
    process.stdout.write(`hookbox: ${name}: ${edit.outcome === 'unchanged' ? `already has ${what}` : `${edit.outcome}, ${what}`}\n`);
  }
  process.stdout.write('hookbox: installs that bypass hookbox now run no install script; run them with `hookbox install` (or through the shims: `hookbox shim install`).\n');
  return EXIT.ok;
}
