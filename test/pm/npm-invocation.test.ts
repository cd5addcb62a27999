import { describe, expect, it } from 'vitest';
import { parseNpmInvocation, scriptsOffArgv } from '../../src/pm/npm-invocation.js';

describe('parseNpmInvocation', () => {
  it('runs root scripts only for a bare install or ci, as npm does', () => {
    expect(parseNpmInvocation('install', []).runsRootScripts).toBe(true);
    expect(parseNpmInvocation('i', ['--no-audit']).runsRootScripts).toBe(true);
    expect(parseNpmInvocation('ci', []).runsRootScripts).toBe(true);
    expect(parseNpmInvocation('install', ['lodash', '-D']).runsRootScripts).toBe(false);
    expect(parseNpmInvocation('rebuild', []).runsRootScripts).toBe(false);
    expect(parseNpmInvocation('rebuild', []).installs).toBe(false);
  });

  it('refuses commands it does not wrap with a usage error', () => {
    expect(() => parseNpmInvocation('publish', [])).toThrow(expect.objectContaining({ code: 'ERR_HOOKBOX_USAGE' }));
  });
});

describe('scriptsOffArgv', () => {
  it('passes user arguments through and always ends with --ignore-scripts', () => {
    expect(scriptsOffArgv(parseNpmInvocation('install', ['lodash', '-D']))).toEqual(['install', 'lodash', '-D', '--ignore-scripts']);
  });

  it('drops any user attempt to turn scripts back on', () => {
    const argv = scriptsOffArgv(parseNpmInvocation('ci', ['--ignore-scripts=false', '--no-ignore-scripts', '--foreground-scripts']));
    expect(argv).toEqual(['ci', '--ignore-scripts']);
  });
});
