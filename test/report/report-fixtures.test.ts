import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/project.js';
import { loadReport, NEW_REPORT, OLD_REPORT } from './report-fixtures.js';

// The renderer tests read committed reports; they must stay reports hookbox could have written.
describe('the committed report fixtures', () => {
  it('validate against the shipped schema', async () => {
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    for (const file of [OLD_REPORT, NEW_REPORT]) {
      validate(loadReport(file));
      expect(validate.errors ?? [], path.basename(file)).toEqual([]);
    }
  });
});
