// Quotes one argument for a POSIX shell, so a command shown to a reviewer can be pasted as is
// even when a package name or path holds spaces, quotes or `$(...)`.
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// An argv as one line a reader can copy into a shell.
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
