// docs/tables.md is generated from the catalog: it must match what the catalog says now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderTablesDoc, DOCS_FILE } from '../tools/gen-docs.js';

test('docs/tables.md is up to date (npm run gen:docs)', () => {
  assert.equal(readFileSync(DOCS_FILE, 'utf8'), renderTablesDoc());
});
