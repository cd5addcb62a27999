import { expect } from 'vitest';
import type { ReportHook } from '../../src/report/report.js';
import type { Attack } from './attack-list.js';
import type { AttackScenario } from './support/attack-project.js';

// What the report must show for each attack: the behaviour that gives it away, whatever its
// source text looks like (the obfuscated one has none of these words in it).
export function expectEvidence(attack: Attack, hook: ReportHook, scenario: AttackScenario): void {
  const reads = hook.files.filter((file) => file.sensitive && file.op !== 'write').map((file) => file.path);
  const writes = hook.files.filter((file) => !['read', 'stat', 'exec'].includes(file.op)).map((file) => `${file.op} ${file.path}${file.target ? ` -> ${file.target}` : ''}`);
  const connects = hook.network.map((attempt) => `${attempt.op} ${attempt.family} ${attempt.address}:${attempt.port ?? ''}`);
  const argv = hook.processes.map((process) => process.argv.join(' '));
  const evidence = hook.violations.flatMap((violation) => violation.evidence).join('\n');
  const rules = hook.violations.map((violation) => violation.rule);
  const home = '/home/hookbox';
  const http = `127.0.0.1:${scenario.listeners.http}`;
  const context = JSON.stringify({ rules, reads, writes, connects, argv, dns: hook.dns, findings: hook.findings }, null, 1);
  const connectsHttp = (): void => expect(connects.some((entry) => entry.includes(http)), context).toBe(true);
  const stole = (): void => expect(reads, context).toEqual(expect.arrayContaining([`${home}/.npmrc`, `${home}/.ssh/id_rsa`]));
  switch (attack) {
    case 'steal-env-http':
      stole();
      expect(reads, context).toEqual(expect.arrayContaining([`${home}/.aws/credentials`, `${scenario.project}/.env`, `${scenario.project}/.npmrc`]));
      connectsHttp();
      return;
    case 'steal-dns':
      expect(hook.dns.some((query) => query.name.endsWith(`.${scenario.tag}.exfil.test`)), context).toBe(true);
      return;
    case 'curl-pipe-sh':
      expect(argv.some((line) => line.startsWith('curl') && line.includes('/stage2.sh')), context).toBe(true);
      connectsHttp();
      return;
    case 'persist-shell-rc':
      for (const file of ['.bashrc', '.profile', '.config/autostart/hookbox-update.desktop', '.config/systemd/user/hookbox-update.service', '.ssh/authorized_keys']) {
        expect(writes.some((entry) => entry.endsWith(`${home}/${file}`)), `${file}\n${context}`).toBe(true);
      }
      return;
    case 'tamper-project':
      for (const file of ['package.json', 'package-lock.json', '.git/hooks/pre-commit', '.github/workflows/hookbox-pwn.yml', 'node_modules/.bin/hookbox-fixture-cli', 'node_modules/.bin/tsc', 'node_modules/@hookbox-fixtures/plain-lib/index.js']) {
        expect(evidence, `${file}\n${context}`).toContain(file);
      }
      return;
    case 'escape-tricks':
      expect(writes.some((entry) => entry.startsWith('symlink') && entry.includes('home-link')), context).toBe(true);
      expect(writes.some((entry) => entry.includes(`${scenario.root}/escaped-via-dotdot.txt`)), context).toBe(true);
      expect(writes.some((entry) => entry.startsWith('link') && entry.includes('manifest-hardlink')), context).toBe(true);
      expect(connects.some((entry) => entry.includes('docker.sock')), context).toBe(true);
      expect(connects.some((entry) => entry.includes(scenario.listeners.abstract)), context).toBe(true);
      expect(reads.some((file) => /^\/proc\/\d+\/environ$/.test(file)), context).toBe(true);
      return;
    case 'detached-daemon':
      expect(hook.processes.some((process) => process.outlivedHook && process.argv.join(' ').includes('daemon.js')), context).toBe(true);
      expect(rules, context).toContain('process-left-running');
      return;
    case 'waits-for-npm-exit':
      expect(hook.processes.some((process) => process.outlivedHook && process.argv.join(' ').includes('watcher.js')), context).toBe(true);
      expect(rules, context).toContain('process-left-running');
      return;
    case 'obfuscated-eval':
      expect(reads, context).toContain(`${home}/.npmrc`);
      connectsHttp();
      return;
    case 'gyp-action-runs-code':
      expect(hook.implicit).toBe('node-gyp');
      expect(argv.some((line) => line.includes('gyp-payload.js expand')), context).toBe(true);
      expect(argv.some((line) => line.includes('gyp-payload.js action')), context).toBe(true);
      expect(writes.some((entry) => entry.endsWith(`${home}/.bashrc`)), context).toBe(true);
      stole();
      connectsHttp();
      return;
    case 'ci-only-payload':
      stole();
      connectsHttp();
      expect(writes.some((entry) => entry.endsWith('.github/workflows/ci-only-pwn.yml')), context).toBe(true);
      return;
    case 'tamper-hookbox-state':
      for (const file of ['hookbox.policy.json', 'node_modules/.hookbox/state.json', 'node_modules/.hookbox/txn-0-forged/journal.json']) {
        expect(writes.some((entry) => entry.endsWith(file)), `${file}\n${context}`).toBe(true);
      }
      return;
  }
}
