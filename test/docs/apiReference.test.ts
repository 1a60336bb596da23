import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { renderApiReference, undocumentedExports, undocumentedOps } from '../../scripts/apiReference';

describe('API reference (docs/api-reference.md)', () => {
  it('documents every op of the op table', () => {
    assert.deepEqual(undocumentedOps(), []);
  });
  it('documents every exported function', () => {
    assert.deepEqual(undocumentedExports(), []);
  });
  it('is up to date with the op table (regenerate: npx tsx scripts/gen-api-reference.ts)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'api-reference.md'), 'utf8');
    assert.equal(committed, renderApiReference() + '\n');
  });
});
