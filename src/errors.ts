// Every failure hookbox reports to a user is a HookboxError: a stable code that tests and
// scripts can match, a message that names the file, key or value at fault, and a hint that
// says what to do about it.

export type ErrorCode =
  | 'ERR_HOOKBOX_USAGE'
  | 'ERR_HOOKBOX_MANIFEST'
  | 'ERR_HOOKBOX_LOCKFILE'
  | 'ERR_HOOKBOX_PM_FAILED'
  | 'ERR_HOOKBOX_PM_NOT_FOUND'
  | 'ERR_HOOKBOX_SANDBOX_UNAVAILABLE'
  | 'ERR_HOOKBOX_SANDBOX_FAILED'
  | 'ERR_HOOKBOX_APPLY'
  | 'ERR_HOOKBOX_LOCKED'
  | 'ERR_HOOKBOX_INTERRUPTED'
  | 'ERR_HOOKBOX_POLICY'
  | 'ERR_HOOKBOX_REPORT'
  | 'ERR_HOOKBOX_TRACE'
  | 'ERR_HOOKBOX_CACHE';

export class HookboxError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HookboxError';
    this.code = code;
    this.hint = options.hint;
  }
}

// True for errors thrown by Node's fs layer with the given errno code.
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
