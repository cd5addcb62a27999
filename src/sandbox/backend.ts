// The one interface every sandbox backend (bwrap, docker) implements. A backend runs one
// command in a fresh, disposable sandbox over a copy-on-write view of the project and hands
// back what happened plus the scratch layer holding everything the command wrote there.

import type { LayerChange, FileChange } from './file-change.js';
import type { CapturedOutput } from './captured-output.js';

export type BackendName = 'bwrap' | 'docker';

export interface SandboxRequest {
  // Absolute project root: visible at the same path, read-only underneath a scratch layer.
  projectDir: string;
  // Absolute working directory of the command (inside projectDir).
  cwd: string;
  // Program and arguments, never a shell string built by hookbox from package data.
  argv: string[];
  // The complete environment inside the sandbox: nothing else is inherited.
  env: Record<string, string>;
  // Project-relative paths shown as empty inside the sandbox (credentials: .npmrc, .env, ...).
  hiddenProjectFiles: string[];
  // Extra host directories made visible read-only (the node and npm installs in use).
  readOnlyDirs: string[];
  network: boolean;
  timeoutMs: number;
  // Bytes of stdout and of stderr kept; the rest is counted and dropped.
  outputLimitBytes: number;
  // Record every exec, file, network and DNS syscall to this host file (strace).
  traceFile: string | undefined;
  // Stop the trace (and the command) when the trace file grows past this many bytes.
  traceLimitBytes: number;
  signal: AbortSignal | undefined;
}

export interface ScratchLayer {
  // Directory whose tree mirrors the project: what the command added or modified.
  upperDir: string;
  changes: FileChange[];
  dispose(): Promise<void>;
}

export interface SandboxRun {
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  aborted: boolean;
  traceTooLarge: boolean;
  durationMs: number;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  scratch: ScratchLayer;
  // What the sandbox's own layer says changed, to check the trace against: everywhere in the
  // container (docker's change list), the project (bwrap's overlay). Undefined when interrupted.
  layerChanges: LayerChange[] | undefined;
}

export interface BackendInfo {
  name: BackendName;
  version: string;
}

export type Availability = { ok: true; info: BackendInfo } | { ok: false; reason: string; hint: string };

export interface SandboxBackend {
  readonly name: BackendName;
  probe(): Promise<Availability>;
  run(request: SandboxRequest): Promise<SandboxRun>;
  // Releases what the backend keeps between runs (docker: the project base images).
  close?(): Promise<void>;
}
