import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';

// The output format of `hookbox report` / `hookbox diff`: --format when given, else the --out
// file's extension (report.html, summary.md, diff.json), else text.
export function chooseFormat<F extends string>(command: string, format: string | undefined, out: string | undefined, allowed: readonly F[]): F {
  if (format !== undefined) {
    if ((allowed as readonly string[]).includes(format)) return format as F;
    throw new HookboxError('ERR_HOOKBOX_USAGE', `--format must be ${allowed.join(', ')} for hookbox ${command}, got "${format}"`, {
      hint: `Run \`hookbox ${command} ... --format ${allowed[0]}\`.`,
    });
  }
  const byExtension: Record<string, string> = { '.html': 'html', '.htm': 'html', '.md': 'markdown', '.markdown': 'markdown', '.json': 'json' };
  const inferred = out === undefined ? undefined : byExtension[path.extname(out).toLowerCase()];
  return (inferred !== undefined && (allowed as readonly string[]).includes(inferred) ? inferred : 'text') as F;
}

// Writes a rendering to --out (whole or not at all: a temp file renamed into place) or stdout.
export async function emitOutput(text: string, out: string | undefined): Promise<void> {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  const file = path.resolve(out);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
  process.stderr.write(`hookbox: wrote ${out}\n`);
}
