import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { EXTENSION_VALIDATORS, SOURCE_DIGEST, STANDARD_VALIDATORS } from '../../src/stix/generated/validators.js';
import { TLP2_EXTENSION_SCHEMA } from '../../src/stix/markings.js';
import {
  createStixAjv,
  loadStandardSchemaDocuments,
  schemaContentDigest,
  SCHEMA_BASE_URI,
  standardSchemaDigest,
  STANDARD_SCHEMA_PATHS,
} from '../../src/stix/schemas.js';
import { generateValidatorsModule } from '../../src/stix/validator-codegen.js';

type ErrorsOf = { errors?: ErrorObject[] | null };

const corpus = fileURLToPath(new URL('../fixtures/corpus/stix/', import.meta.url));
const generatedFile = fileURLToPath(new URL('../../src/stix/generated/validators.ts', import.meta.url));

/** Every object of the conformance corpus (valid and invalid files), as parsed JSON. */
function corpusObjects(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const dir of ['valid', 'invalid']) {
    for (const name of readdirSync(corpus + dir)) {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(`${corpus}${dir}/${name}`, 'utf8'));
      } catch {
        continue;
      }
      const inner = (doc as { objects?: unknown }).objects;
      const items = Array.isArray(doc) ? doc : [doc, ...(Array.isArray(inner) ? inner : [])];
      for (const o of items) if (o !== null && typeof o === 'object' && !Array.isArray(o)) out.push(o as Record<string, unknown>);
    }
  }
  return out;
}

/** What a diagnostic is built from (schema objects compared by content, not identity). */
function comparable(errors: ErrorObject[] | null | undefined): unknown {
  return (errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    keyword: e.keyword,
    params: e.params,
    message: e.message,
    parentSchema: e.parentSchema,
    data: e.data,
  }));
}

describe('generated validators', () => {
  it('are what the generator writes from schemas/ now (run `npm run generate:validators` after editing schemas/)', () => {
    expect(readFileSync(generatedFile, 'utf8') === generateValidatorsModule()).toBe(true);
    expect(SOURCE_DIGEST).toBe(standardSchemaDigest());
  });

  it('cover every standard type and every shipped extension schema', () => {
    expect(Object.keys(STANDARD_VALIDATORS).sort()).toEqual(Object.keys(STANDARD_SCHEMA_PATHS).sort());
    expect(EXTENSION_VALIDATORS[schemaContentDigest(TLP2_EXTENSION_SCHEMA)]).toBeDefined();
    const shipped = ['distillation', 'provenance'].flatMap((dir) => {
      const folder = fileURLToPath(new URL(`../../schemas/${dir}/`, import.meta.url));
      return readdirSync(folder).map((f) => JSON.parse(readFileSync(folder + f, 'utf8')) as Record<string, unknown>);
    });
    expect(shipped.length).toBeGreaterThan(0);
    for (const schema of shipped) expect(EXTENSION_VALIDATORS[schemaContentDigest(schema)]).toBeDefined();
  });

  it('judge every corpus object exactly as the schemas compiled by ajv at run time do', () => {
    const ajv = createStixAjv();
    for (const doc of loadStandardSchemaDocuments()) ajv.addSchema(doc);
    const objects = corpusObjects();
    let failing = 0;
    for (const obj of objects) {
      const type = obj['type'];
      const path = typeof type === 'string' ? STANDARD_SCHEMA_PATHS[type] : undefined;
      if (path === undefined) continue;
      const compiled = ajv.getSchema(SCHEMA_BASE_URI + path);
      const generated = STANDARD_VALIDATORS[type as string] as ((v: unknown) => boolean) & ErrorsOf;
      const a = compiled?.(obj);
      const b = generated(obj);
      expect(b).toBe(a);
      expect(comparable(generated.errors)).toEqual(comparable(compiled?.errors));
      if (a === false) failing++;
    }
    // The comparison covered objects the schemas refuse, not only clean ones.
    expect(failing).toBeGreaterThan(20);
  });

  it('find an extension schema by its content: another key order is the same schema, another value is not', () => {
    expect(schemaContentDigest({ b: 1, a: [1, 2] })).toBe(schemaContentDigest({ a: [1, 2], b: 1 }));
    expect(schemaContentDigest({ a: [1, 2] })).not.toBe(schemaContentDigest({ a: [2, 1] }));
  });
});
