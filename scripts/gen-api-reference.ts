// Writes docs/api-reference.md (see scripts/apiReference.ts). Run: npx tsx scripts/gen-api-reference.ts
import fs from 'node:fs';
import path from 'node:path';
import { renderApiReference, undocumentedExports, undocumentedOps } from './apiReference';

const missing = [...undocumentedOps(), ...undocumentedExports()];
if (missing.length > 0) {
  console.error(`undocumented: ${missing.join(', ')}`);
  process.exit(1);
}
const file = path.join(__dirname, '..', 'docs', 'api-reference.md');
fs.writeFileSync(file, renderApiReference() + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)}`);
