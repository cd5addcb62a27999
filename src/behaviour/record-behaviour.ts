import { readFile } from 'node:fs/promises';
import type { Hook } from '../plan/hook.js';
import { parseStrace } from '../trace/parse-strace.js';
import { scopeToSandboxedCommand } from '../trace/scope.js';
import type { LayerChange } from '../sandbox/file-change.js';
import type { FileEvent } from '../trace/events.js';
import { UNRECORDED, type HookBehaviour } from './behaviour.js';
import { untracedChanges } from './cross-check.js';
import { summarizeBehaviour } from './summarize-behaviour.js';

// Reads a finished hook's trace file (written by strace outside the sandbox), keeps the hook's
// own process tree, and summarises it. A missing or unreadable trace is recorded as such.
// `launcher` is the program the backend starts the hook under (bwrap, or docker's hookbox-launch).
// `layerChanges`, where the backend has them, are checked against the trace (see cross-check.ts).
export async function recordBehaviour(hook: Hook, traceFile: string, projectDir: string, launcher = 'bwrap', layerChanges?: LayerChange[]): Promise<HookBehaviour> {
  const text = await readFile(traceFile, 'latin1').catch(() => undefined);
  if (text === undefined) return UNRECORDED;
  const parsed = parseStrace(text, { initialCwd: hook.packageDir });
  const scoped = scopeToSandboxedCommand(parsed, launcher);
  // No sandbox launch in the trace means nothing in it can be attributed to the hook.
  if (scoped.rootPid === undefined) return { ...UNRECORDED, unknownLines: parsed.unknownLines };
  const behaviour = summarizeBehaviour(scoped, { projectDir, packagePath: hook.package.path }, { unknownLines: parsed.unknownLines, truncated: parsed.truncatedStrings > 0 });
  if (layerChanges === undefined) return behaviour;
  // The whole trace, not the capped summary: every change must be explained by it.
  const fileEvents = parsed.events.filter((event): event is FileEvent => event.kind === 'file');
  return { ...behaviour, untracedChanges: untracedChanges(layerChanges, fileEvents) };
}
