import type { ErrorCode } from '../errors.js';

// Documented in the README ("Exit codes"); scripts and CI depend on them, so they never change.
export const EXIT = {
  ok: 0,
  hookFailed: 1,
  usage: 2,
  blocked: 3,
  packageManagerFailed: 4,
  sandboxUnavailable: 5,
  error: 6,
  interrupted: 130,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'ERR_HOOKBOX_USAGE':
    case 'ERR_HOOKBOX_POLICY':
    case 'ERR_HOOKBOX_MANIFEST':
    case 'ERR_HOOKBOX_LOCKFILE':
    case 'ERR_HOOKBOX_LOCKED':
    case 'ERR_HOOKBOX_CACHE':
      return EXIT.usage;
    case 'ERR_HOOKBOX_PM_FAILED':
    case 'ERR_HOOKBOX_PM_NOT_FOUND':
      return EXIT.packageManagerFailed;
    case 'ERR_HOOKBOX_SANDBOX_UNAVAILABLE':
      return EXIT.sandboxUnavailable;
    case 'ERR_HOOKBOX_INTERRUPTED':
      return EXIT.interrupted;
    default:
      return EXIT.error;
  }
}
