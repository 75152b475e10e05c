import { readFileSync } from 'node:fs';
import { PROJECT_IDENTITY_ID } from '../distillation/extension-ids.js';
import { defineExtension } from '../stix/extensions.js';
import type { ExtensionDefinitionObject } from '../stix/extensions.js';
import { getExtension } from '../stix/extension-registry.js';
import type { JsonSchema } from '../stix/extension-registry.js';
import { TLP2_CLEAR } from '../stix/markings.js';
import { SIGNATURES_PROPERTY } from './jss.js';

/**
 * The extension that makes `signatures` a defined STIX property: a `toplevel-property-extension` (STIX 2.1 §7.3)
 * published by the project identity. Objects that carry it list it under `extensions` with
 * `{"extension_type": "toplevel-property-extension"}`; a consumer that does not know it keeps the object and loses
 * nothing but the ability to check the signatures.
 */

/** Fixed id: every lab must name the same extension, or consumers could not recognise it. */
export const SIGNATURES_EXTENSION_ID = 'extension-definition--b4b19ebf-f78c-4f16-bfaa-897e49e797ef';
/** Version of the definition (semantic versioning). */
export const SIGNATURES_EXTENSION_VERSION = '1.0.0';
/** Where the definition's schema is published; the same file ships under `schemas/provenance/`. */
export const SIGNATURES_SCHEMA_URL = `https://distill-intel.dev/schemas/provenance/signatures-${SIGNATURES_EXTENSION_VERSION}.json`;
const TIMESTAMP = '2026-12-01T00:00:00.000Z';

const SCHEMA_FILE = new URL(`../../schemas/provenance/signatures-${SIGNATURES_EXTENSION_VERSION}.json`, import.meta.url);

let schema: JsonSchema | undefined;
let definition: ExtensionDefinitionObject | undefined;

/**
 * Registers the signatures extension with the validator (idempotent: re-registers only when the registry lost it,
 * as tests that clear the registry do). Signing and verification call it, so there is no import-time side effect.
 */
export function registerSignaturesExtension(): void {
  schema ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as JsonSchema;
  if (definition !== undefined && getExtension(SIGNATURES_EXTENSION_ID)?.schema === schema) return;
  definition = defineExtension({
    id: SIGNATURES_EXTENSION_ID,
    name: 'JSS signatures',
    description:
      'Top-level property signatures: ITU-T X.590 JSON Signature Scheme signatures over the RFC 8785 canonical form of the object, with countersignatures nested; each names its signing key by public key and/or RFC 7638 thumbprint.',
    version: SIGNATURES_EXTENSION_VERSION,
    schema,
    schemaRef: SIGNATURES_SCHEMA_URL,
    extensionTypes: ['toplevel-property-extension'],
    extensionProperties: [SIGNATURES_PROPERTY],
    createdByRef: PROJECT_IDENTITY_ID,
    created: TIMESTAMP,
    modified: TIMESTAMP,
    properties: { object_marking_refs: [TLP2_CLEAR.id] },
  });
}

/** The extension-definition object to publish beside signed objects. */
export function signaturesExtensionDefinition(): ExtensionDefinitionObject {
  registerSignaturesExtension();
  return JSON.parse(JSON.stringify(definition)) as ExtensionDefinitionObject;
}
