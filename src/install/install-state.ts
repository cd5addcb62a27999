import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hook } from '../plan/hook.js';
import { STATE_DIR } from '../apply/commit-changes.js';

// Which hooks already ran and were kept, so that a later `hookbox install` runs only the hooks
// of packages that are new or changed, as npm does. Kept in node_modules/.hookbox so that
// deleting node_modules forgets it together with the results it describes.
interface StateFile {
  version: 1;
  hooks: Record<string, { identity: string; scriptSha256: string }>;
}

export class InstallState {
  readonly #file: string;
  readonly #state: StateFile;

  private constructor(file: string, state: StateFile) {
    this.#file = file;
    this.#state = state;
  }

  static async load(projectDir: string): Promise<InstallState> {
    const file = path.join(projectDir, STATE_DIR, 'state.json');
    let state: StateFile = { version: 1, hooks: {} };
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as StateFile;
      if (parsed.version === 1 && typeof parsed.hooks === 'object' && parsed.hooks !== null) state = parsed;
    } catch {
      // missing or unreadable: every hook counts as not yet run, which is the safe side
    }
    return new InstallState(file, state);
  }

  isDone(hook: Hook): boolean {
    const entry = this.#state.hooks[hook.id];
    return entry !== undefined && entry.identity === identityOf(hook) && entry.scriptSha256 === hook.scriptSha256;
  }

  markDone(hook: Hook): void {
    this.#state.hooks[hook.id] = { identity: identityOf(hook), scriptSha256: hook.scriptSha256 };
  }

  async save(): Promise<void> {
    await mkdir(path.dirname(this.#file), { recursive: true });
    await writeFile(`${this.#file}.tmp`, JSON.stringify(this.#state, null, 2));
    await rename(`${this.#file}.tmp`, this.#file);
  }
}

function identityOf(hook: Hook): string {
  return hook.package.integrity ?? hook.package.resolved ?? `${hook.package.name}@${hook.package.version}`;
}
