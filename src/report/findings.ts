import { isLibcProbe, WRITE_OPS } from '../behaviour/behaviour.js';
import type { HookResult } from '../install/hook-result.js';

// The few facts a reviewer must see first about a hook, most alarming first:
// "read ~/.npmrc", "connect 10.0.0.5:443", "wrote node_modules/.bin/tsc", "ran curl".
export function findings(result: HookResult): string[] {
  const out: string[] = [];
  const { behaviour } = result;
  for (const file of behaviour.files.filter((entry) => entry.sensitive && !WRITE_OPS.has(entry.op))) {
    out.push(`read ${displayPath(file.path)}${file.ok ? '' : ` (${file.errno})`}`);
  }
  for (const query of behaviour.dns) out.push(`dns ${query.name}`);
  for (const attempt of behaviour.network.filter((entry) => !isLibcProbe(entry))) {
    if (attempt.family === 'unix') out.push(`connect unix ${attempt.address}`);
    else if (attempt.family === 'inet' || attempt.family === 'inet6') out.push(`${attempt.op} ${attempt.address}:${attempt.port ?? '?'}`);
  }
  const survivors = behaviour.processes.filter((process) => process.outlivedHook);
  if (survivors.length > 0) out.push(`left ${survivors.length} process(es) running: ${survivors[0]?.argv.join(' ').slice(0, 60)}`);
  for (const entry of result.discarded.filter((item) => item.reason !== 'the hook failed' && item.reason !== 'the hook was blocked')) {
    out.push(`wrote ${entry.change.path} (discarded)`);
  }
  for (const entry of result.status === 'blocked' || result.status === 'failed' ? result.discarded : []) {
    out.push(`${entry.change.kind === 'deleted' ? 'deleted' : 'wrote'} ${entry.change.path}`);
  }
  const programs = new Set<string>();
  for (const process of behaviour.processes) {
    const name = process.program?.split('/').pop();
    if (name && !['sh', 'dash', 'bash', 'prlimit'].includes(name)) programs.add(name);
  }
  if (programs.size > 0) out.push(`ran ${[...programs].sort().join(', ')}`);
  return [...new Set(out)];
}

function displayPath(file: string): string {
  return file.startsWith('/home/hookbox/') ? `~/${file.slice('/home/hookbox/'.length)}` : file;
}
