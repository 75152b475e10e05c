/**
 * Writes src/stix/generated/validators.ts from schemas/ (ajv standalone code), so the validators need no compilation at
 * start-up. Run after changing anything under schemas/:
 *
 *   npm run generate:validators
 *
 * test/stix/validator-codegen.test.ts fails while the committed module is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const target = fileURLToPath(new URL('../src/stix/generated/validators.ts', import.meta.url));
// The generator runs on the schema module, which imports the generated one: start from an empty module (its digest
// matches nothing, so the schemas are compiled at run time), so that a broken or stale file cannot stop generation.
writeFileSync(
  target,
  [
    'export const SOURCE_DIGEST: string = "";',
    'export const STANDARD_VALIDATORS: Readonly<Record<string, (value: unknown) => boolean>> = {};',
    'export const EXTENSION_VALIDATORS: Readonly<Record<string, (value: unknown) => boolean>> = {};',
    'export const PRESENCE_NAMES: Readonly<Record<string, readonly string[]>> = {};',
    '',
  ].join('\n'),
);
const { generateValidatorsModule } = await import('../src/stix/validator-codegen.js');
const text = generateValidatorsModule();
writeFileSync(target, text);
console.log(`wrote ${target} (${(text.length / 1024).toFixed(0)} KiB)`);
