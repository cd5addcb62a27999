import { describe, expect, it } from 'vitest';
import { untracedChanges } from '../../src/behaviour/cross-check.js';
import type { LayerChange } from '../../src/sandbox/file-change.js';
import type { FileEvent, FileOp } from '../../src/trace/events.js';

let seq = 0;
function event(op: FileOp, file: string, target?: string): FileEvent {
  return { kind: 'file', pid: 7, op, path: file, ...(target === undefined ? {} : { target }), ok: true, seq: ++seq };
}
const added = (file: string): LayerChange => ({ path: file, kind: 'added' });
const modified = (file: string): LayerChange => ({ path: file, kind: 'modified' });
const deleted = (file: string): LayerChange => ({ path: file, kind: 'deleted' });

describe('checking the sandbox layer against the trace', () => {
  it('accepts what the trace shows: created, rewritten, deleted, made directories and links', () => {
    const layer = [modified('/p/pkg'), added('/p/pkg/build'), added('/p/pkg/build/a.node'), modified('/p/pkg/index.js'), deleted('/p/pkg/old.js'), added('/p/pkg/link')];
    const trace = [event('mkdir', '/p/pkg/build'), event('create', '/p/pkg/build/a.node'), event('write', '/p/pkg/index.js'), event('delete', '/p/pkg/old.js'), event('symlink', '/p/pkg/link', 'index.js')];
    expect(untracedChanges(layer, trace)).toEqual([]);
  });

  it('accepts a tree moved into place and a tree removed as a whole', () => {
    const layer = [added('/p/out'), added('/p/out/x.js'), added('/p/out/sub'), added('/p/out/sub/y.js'), deleted('/p/gone')];
    const trace = [event('mkdir', '/p/.tmp'), event('create', '/p/.tmp/x.js'), event('rename', '/p/.tmp', '/p/out'), event('rmdir', '/p/gone')];
    expect(untracedChanges(layer, trace)).toEqual([]);
  });

  it('names every change the trace cannot explain', () => {
    const layer = [modified('/p/pkg'), added('/p/pkg/unseen.txt'), modified('/var/tmp'), added('/var/tmp/drop'), modified('/p/pkg/index.js')];
    // Reads explain nothing, and a directory is not explained by a change that is itself unexplained.
    const trace = [event('read', '/p/pkg/index.js'), event('read', '/var/tmp/drop')];
    expect(untracedChanges(layer, trace)).toEqual(['added /p/pkg/unseen.txt', 'added /var/tmp/drop', 'modified /p/pkg/index.js']);
  });

  it('matches a name that is not UTF-8 across the engine\u2019s U+FFFD and the trace\u2019s \\x escapes', () => {
    expect(untracedChanges([added('/p/pkg/caf\uFFFD')], [event('create', '/p/pkg/caf\\xe9')])).toEqual([]);
    expect(untracedChanges([added('/p/pkg/caf\uFFFD')], [event('create', '/p/pkg/other\\xe9')])).toEqual(['added /p/pkg/caf\uFFFD']);
  });
});
