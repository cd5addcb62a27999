import type { Hook } from '../plan/hook.js';

// How a hook is named in progress lines: "pkg@1.0.0 postinstall", "app (project) prepare".
export function hookLabel(hook: Hook): string {
  const who = hook.isRoot ? `${hook.package.name} (project)` : `${hook.package.name}@${hook.package.version}`;
  return `${who} ${hook.event}${hook.implicit ? ' (node-gyp rebuild)' : ''}`;
}
