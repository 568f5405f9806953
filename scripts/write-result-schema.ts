/**
 * Writes docs/result.schema.json, the JSON Schema of result.json, from the zod schema in
 * src/core/result.ts (the source of truth). A test fails when the committed file is stale.
 *   npx tsx scripts/write-result-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { resultJsonSchema } from '../src/core/result-json-schema.js';

writeFileSync('docs/result.schema.json', resultJsonSchema());
console.log('Wrote docs/result.schema.json');
