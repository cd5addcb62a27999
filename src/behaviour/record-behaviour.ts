import { readFile } from 'node:fs/promises';
import type { Hook } from '../plan/hook.js';
import { parseStrace } from '../trace/parse-strace.js';
import { scopeToSandboxedCommand } from '../trace/scope.js';
import { UNRECORDED, type HookBehaviour } from './behaviour.js';
import { summarizeBehaviour } from './summarize-behaviour.js';

// Reads a finished hook's trace file (written by strace outside the sandbox), keeps the hook's
// own process tree, and summarises it. A missing or unreadable trace is recorded as such.
// `launcher` is the program the backend starts the hook under (bwrap, or docker's hookbox-launch).
export async function recordBehaviour(hook: Hook, traceFile: string, projectDir: string, launcher = 'bwrap'): Promise<HookBehaviour> {
  const text = await readFile(traceFile, 'latin1').catch(() => undefined);
  if (text === undefined) return UNRECORDED;
  const parsed = parseStrace(text, { initialCwd: hook.packageDir });
  const scoped = scopeToSandboxedCommand(parsed, launcher);
  // No sandbox launch in the trace means nothing in it can be attributed to the hook.
  if (scoped.rootPid === undefined) return { ...UNRECORDED, unknownLines: parsed.unknownLines };
  return summarizeBehaviour(scoped, { projectDir, packagePath: hook.package.path }, { unknownLines: parsed.unknownLines, truncated: parsed.truncatedStrings > 0 });
}
