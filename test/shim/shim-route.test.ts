import { describe, expect, it } from 'vitest';
import { routesThroughHookbox } from '../../src/shim/shim-route.js';

describe('routesThroughHookbox', () => {
  it('sends npm installs through hookbox and everything else to npm', () => {
    for (const args of [['install'], ['i', 'left-pad'], ['ci'], ['update'], ['rebuild'], ['install', '--save-dev', 'x']]) expect(routesThroughHookbox('npm', args), args.join(' ')).toBe(true);
    for (const args of [[], ['run', 'install'], ['test'], ['view', 'x'], ['--version'], ['install', '-g', 'x'], ['i', '--global', 'x']]) expect(routesThroughHookbox('npm', args), args.join(' ')).toBe(false);
  });

  it('treats a bare yarn as an install, but not yarn --version or a script', () => {
    for (const args of [[], ['--frozen-lockfile'], ['install'], ['add', 'x'], ['upgrade'], ['up'], ['remove', 'x']]) expect(routesThroughHookbox('yarn', args), args.join(' ')).toBe(true);
    for (const args of [['--version'], ['-v'], ['--help'], ['test'], ['run', 'build'], ['global', 'add', 'x'], ['config', 'get', 'x']]) expect(routesThroughHookbox('yarn', args), args.join(' ')).toBe(false);
  });
});
