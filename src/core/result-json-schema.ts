import { z } from 'zod';
import { RunResult, SCHEMA_VERSION } from './result.js';

/** The JSON Schema of result.json, for tools outside TypeScript. */
export function resultJsonSchema(): string {
  const schema = {
    $id: `https://classifier-ci.dev/schemas/result-v${SCHEMA_VERSION}.json`,
    title: `classifier-ci RunResult (schema v${SCHEMA_VERSION})`,
    ...z.toJSONSchema(RunResult),
  };
  return JSON.stringify(schema, null, 2) + '\n';
}
