import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { TestRunner, type RunnerTask, type RunnerTestFile, type RunnerTestSuite } from 'vitest';

// Debian packages that provide the tools tests ask for, for the skip note.
const PACKAGE_OF: Record<string, string> = { bwrap: 'bubblewrap', strace: 'strace', curl: 'curl', chromium: 'chromium', docker: 'docker.io', dockerd: 'docker.io' };

// Whether an executable of this name is on PATH.
export function hasTool(name: string): boolean {
  return (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

// Makes tests need a system tool. Missing on a developer machine: the tests are skipped with a
// note. Missing in CI (CI=true): an error, because CI installs every part and must not skip.
// Works inside a test or beforeEach (skips that test), in beforeAll (skips the tests of its
// suite; pass the hook's second argument, the suite, to name it explicitly) and in a describe
// body or at the top of a file (skips every test declared there).
export function requireTool(name: string, suite?: RunnerTestSuite | RunnerTestFile): void {
  if (hasTool(name)) return;
  requirePart(false, `${name} is not installed (apt-get install ${PACKAGE_OF[name] ?? name}, or npm run setup as root)`, suite);
}

// The same for any part a test needs that is not a program on PATH (a running engine, an
// image): `available` false skips locally with `note` and fails in CI.
export function requirePart(available: boolean, note: string, suite?: RunnerTestSuite | RunnerTestFile): void {
  if (available) return;
  if (process.env['CI'] === 'true') {
    throw new Error(`${note}; CI=true, where a missing tool is a failure, not a skip`);
  }
  const test = TestRunner.getCurrentTest();
  if (test) {
    test.context.skip(note);
    return;
  }
  const running = suite ?? runningSuite();
  if (running) {
    skipPending(running, note);
    return;
  }
  TestRunner.getCurrentSuite().on('beforeEach', (context) => context.skip(note));
}

// The suite whose beforeAll is running. vitest has no public API for it, so this reads the
// worker state its runner keeps (`current`, set on entering each suite); undefined while
// collecting, when the describe-body path applies instead.
function runningSuite(): RunnerTestSuite | RunnerTestFile | undefined {
  const current = (globalThis as { __vitest_worker__?: { current?: RunnerTask } }).__vitest_worker__?.current;
  return current?.type === 'suite' && current.result?.state === 'run' ? current : undefined;
}

function skipPending(task: RunnerTask, note: string): void {
  if (task.type === 'suite') {
    for (const child of task.tasks) skipPending(child, note);
    return;
  }
  if ((task.mode === 'run' || task.mode === 'queued') && task.result === undefined) {
    task.mode = 'skip';
    // Reporters show `note` beside a skipped test (context.skip(note) sets it too); vitest's
    // TaskResult type does not declare it.
    task.result = Object.assign({ state: 'skip' as const }, { note });
  }
}
