// Ctrl-C and SIGTERM from the very first milliseconds: loading hookbox's modules takes a few
// hundred of them, and a signal then would kill it silently mid-way. The entry point starts
// watching before anything else loads; the command then takes the signals over.
let received: NodeJS.Signals | undefined;
const remember = (signal: NodeJS.Signals): void => {
  received ??= signal;
};

export function watchEarlySignals(): void {
  process.on('SIGINT', remember);
  process.on('SIGTERM', remember);
}

// For a command that handles signals itself: from now on `handler` gets them, starting with one
// that arrived early.
export function takeOverSignals(handler: (signal: NodeJS.Signals) => void): void {
  process.off('SIGINT', remember);
  process.off('SIGTERM', remember);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  if (received) handler(received);
}

// For every other command: the default behaviour again (a signal ends the process), and an
// early signal ends it now, as it would have.
export function releaseEarlySignals(): void {
  process.off('SIGINT', remember);
  process.off('SIGTERM', remember);
  if (received) {
    process.stderr.write(`hookbox: ${received} received; stopped before doing anything\n`);
    process.exit(130);
  }
}
