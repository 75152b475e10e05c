import { joinPointer } from '../diagnostic.js';
import { PREDEFINED_CONTENT_PROPERTIES } from './known-properties.js';
import { PRESENT } from './presence.js';
import { isValidPropertyName, propertyNameMessage } from './property-names.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportError, reportWarning } from './rule.js';

/*
 * §3.1's property-name MUSTs hold for every property, not only an object's top-level ones: the properties of the
 * common embedded types (external references, kill-chain phases, granular markings), of an SCO's predefined
 * extensions and of the types §6 embeds (MIME parts, alternate data streams, PE optional header and sections, registry
 * values, X.509 v3 extensions) too. Names the spec does not define there are custom properties (§11.1), kept with a
 * warning as at the top level.
 */

function checkContent(content: unknown, name: string, path: string, ctx: RuleContext): void {
  if (!isObject(content)) return;
  const defined = PREDEFINED_CONTENT_PROPERTIES.get(name);
  if (defined === undefined) return;
  for (const key in content) {
    if (defined.has(key)) continue;
    if (!isValidPropertyName(key)) reportError(ctx, 'property-name-invalid', joinPointer(path, key), propertyNameMessage(key));
    else reportWarning(ctx, 'custom-property', joinPointer(path, key), `'${key}' is not a property STIX defines for ${name}; custom properties are deprecated (§11.1)`);
  }
}

function checkList(list: unknown, name: string, path: string, ctx: RuleContext): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) checkContent(list[i], name, joinPointer(path, i), ctx);
}

/** Types whose own properties include kill_chain_phases (§4). */
const WITH_KILL_CHAIN: ReadonlySet<string> = new Set(['attack-pattern', 'incident', 'indicator', 'infrastructure', 'malware', 'tool']);

/**
 * Names inside the common embedded types of any object; `present` are the presence bits of its properties (an absent
 * list is not read).
 */
export function checkCommonEmbeddedNames(obj: JsonObject, type: string, pointer: string, ctx: RuleContext, present: number): void {
  if ((present & PRESENT.external_references) !== 0) checkList(obj['external_references'], 'external-reference', joinPointer(pointer, 'external_references'), ctx);
  if ((present & PRESENT.granular_markings) !== 0) checkList(obj['granular_markings'], 'granular-marking', joinPointer(pointer, 'granular_markings'), ctx);
  if (WITH_KILL_CHAIN.has(type)) checkList(obj['kill_chain_phases'], 'kill-chain-phase', joinPointer(pointer, 'kill_chain_phases'), ctx);
}

/** Names inside the SCO's predefined extensions and embedded types (see the module comment). */
export function checkEmbeddedNames(obj: JsonObject, type: string, pointer: string, ctx: RuleContext): void {
  const ext = obj['extensions'];
  if (isObject(ext)) {
    for (const key in ext) {
      if (!key.endsWith('-ext')) continue;
      const path = joinPointer(pointer, 'extensions', key);
      const content = ext[key];
      checkContent(content, key, path, ctx);
      if (!isObject(content)) continue;
      if (key === 'ntfs-ext') checkList(content['alternate_data_streams'], 'alternate-data-stream', joinPointer(path, 'alternate_data_streams'), ctx);
      if (key === 'windows-pebinary-ext') {
        checkContent(content['optional_header'], 'windows-pe-optional-header', joinPointer(path, 'optional_header'), ctx);
        checkList(content['sections'], 'windows-pe-section', joinPointer(path, 'sections'), ctx);
      }
    }
  }
  switch (type) {
    case 'email-message':
      checkList(obj['body_multipart'], 'email-mime-part', joinPointer(pointer, 'body_multipart'), ctx);
      break;
    case 'windows-registry-key':
      checkList(obj['values'], 'windows-registry-value', joinPointer(pointer, 'values'), ctx);
      break;
    case 'x509-certificate':
      checkContent(obj['x509_v3_extensions'], 'x509-v3-extensions', joinPointer(pointer, 'x509_v3_extensions'), ctx);
      break;
    default:
      break;
  }
}
