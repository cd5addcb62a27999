import { afterEach, describe, expect, it } from 'vitest';
import { hasTool, requireTool } from './tools.js';

describe('hasTool / requireTool', () => {
  const ci = process.env['CI'];
  afterEach(() => {
    if (ci === undefined) delete process.env['CI'];
    else process.env['CI'] = ci;
  });

  it('finds executables on PATH only', () => {
    expect(hasTool('sh')).toBe(true);
    expect(hasTool('hookbox-no-such-tool')).toBe(false);
  });

  it('does nothing when the tool is there', () => {
    expect(() => requireTool('sh')).not.toThrow();
  });

  it('fails instead of skipping when CI=true', () => {
    process.env['CI'] = 'true';
    expect(() => requireTool('hookbox-no-such-tool')).toThrow(/hookbox-no-such-tool is not installed.*CI=true/);
  });
});
