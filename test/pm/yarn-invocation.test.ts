import { describe, expect, it } from 'vitest';
import { berryScriptsOffArgv, classicScriptsOffArgv, parseYarnInvocation } from '../../src/pm/yarn-invocation.js';

describe('parseYarnInvocation', () => {
  it('reads a bare yarn as install, which runs the project scripts', () => {
    expect(parseYarnInvocation([])).toMatchObject({ command: 'install', runsRootScripts: true });
    expect(parseYarnInvocation(['--frozen-lockfile'])).toMatchObject({ command: 'install', args: ['--frozen-lockfile'] });
    expect(parseYarnInvocation(['add', 'left-pad', '-D'])).toMatchObject({ command: 'add', args: ['left-pad', '-D'], runsRootScripts: false });
    expect(parseYarnInvocation(['up', 'x']).command).toBe('upgrade');
  });

  it('refuses commands that do not install', () => {
    expect(() => parseYarnInvocation(['run', 'build'])).toThrow(expect.objectContaining({ code: 'ERR_HOOKBOX_USAGE' }));
  });
});

describe('scripts-off argv', () => {
  it('puts --ignore-scripts last for Yarn 1', () => {
    expect(classicScriptsOffArgv(parseYarnInvocation(['add', 'x']))).toEqual(['add', 'x', '--ignore-scripts', '--non-interactive']);
  });

  it('forces --mode=skip-build for Berry, dropping any mode the user gave', () => {
    expect(berryScriptsOffArgv(parseYarnInvocation(['install', '--mode', 'update-lockfile']))).toEqual(['install', '--mode=skip-build']);
    expect(berryScriptsOffArgv(parseYarnInvocation(['upgrade', 'x', '--mode=update-lockfile']))).toEqual(['up', 'x', '--mode=skip-build']);
  });
});
