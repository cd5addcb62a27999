import { fixture } from '../support/project.js';

// Every attack fixture (fixtures/attacks/<name>), each installed in one go by the battery.
export const ATTACKS = [
  'steal-env-http',
  'steal-dns',
  'curl-pipe-sh',
  'persist-shell-rc',
  'tamper-project',
  'escape-tricks',
  'detached-daemon',
  'waits-for-npm-exit',
  'obfuscated-eval',
  'gyp-action-runs-code',
  'ci-only-payload',
  'tamper-hookbox-state',
] as const;
export type Attack = (typeof ATTACKS)[number];

// A generous approval for every attack: any program, every file readable, the network to
// loopback (where the listeners are); and for the attack on hookbox's own files, writes to the
// whole project. Approval grants behaviour; none of it may hand out a secret or a host file.
export function generousPolicy(): Record<string, unknown> {
  const entries: Record<string, unknown> = {};
  for (const attack of ATTACKS) {
    entries[`${fixture(attack)}@*`] = {
      read: ['/**'],
      network: ['127.0.0.1'],
      ...(attack === 'tamper-hookbox-state' ? { write: ['**'] } : {}),
    };
  }
  return entries;
}
