import { joinPointer } from '../diagnostic.js';
import { PREDEFINED_CONTENT_PROPERTIES, SCO_OWN_PROPERTIES } from './known-properties.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportError } from './rule.js';

/*
 * §6's "at least one property" statements. They ask for a property the object (or extension, or embedded type)
 * defines: common properties do not count, and neither do custom ones (§11.1), which a consumer may drop — an object
 * left with nothing of its own once they are gone breaks the rule all the same.
 */

type TypeRule = (obj: JsonObject, pointer: string, ctx: RuleContext) => void;

const NONE: ReadonlySet<string> = new Set();

/** True when `obj` has a property in `defined`, other than `except`. */
function hasDefined(obj: JsonObject, defined: ReadonlySet<string>, except?: string): boolean {
  for (const key in obj) if (key !== except && defined.has(key)) return true;
  return false;
}

function atLeastOne(section: string, withExtensions: boolean): TypeRule {
  return (obj, pointer, ctx) => {
    const type = String(obj['type']);
    if (hasDefined(obj, SCO_OWN_PROPERTIES.get(type) ?? NONE)) return;
    const ext = obj['extensions'];
    if (withExtensions && isObject(ext) && Object.keys(ext).length > 0) return;
    reportError(
      ctx,
      'at-least-one-property',
      pointer,
      `a ${type} object must have at least one of the properties ${section} defines for it${withExtensions ? ' (or an extension)' : ''}; common and custom properties do not count (${section})`,
    );
  };
}

/** Reports a predefined extension or embedded type at `path` that holds none of the properties it defines. */
function checkContent(content: unknown, name: string, path: string, section: string, ctx: RuleContext, except?: string): void {
  if (!isObject(content)) return;
  const defined = PREDEFINED_CONTENT_PROPERTIES.get(name) ?? NONE;
  if (hasDefined(content, defined, except)) return;
  // An empty one is the schema's minProperties finding; a lone required property missing is schema-required.
  const keys = Object.keys(content);
  if (keys.length === 0 || (except !== undefined && !keys.includes(except))) return;
  const besides = except === undefined ? '' : ` besides ${except}`;
  reportError(ctx, 'at-least-one-property', path, `${name} must have at least one property it defines${besides}; custom properties do not count (${section})`);
}

/** Predefined extensions whose §6 text asks for at least one of their properties, and the section that says so. */
const EXTENSION_SECTIONS: ReadonlyMap<string, string> = new Map([
  ['ntfs-ext', '§6.7.3'],
  ['pdf-ext', '§6.7.4'],
  ['raster-image-ext', '§6.7.5'],
  ['tcp-ext', '§6.12.5'],
  ['windows-process-ext', '§6.13.2'],
  ['windows-service-ext', '§6.13.3'],
  ['unix-account-ext', '§6.16.2'],
]);

function checkExtensions(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  const ext = obj['extensions'];
  if (!isObject(ext)) return;
  for (const key in ext) {
    const section = EXTENSION_SECTIONS.get(key);
    if (section !== undefined) checkContent(ext[key], key, joinPointer(pointer, 'extensions', key), section, ctx);
  }
  const pe = ext['windows-pebinary-ext'];
  if (isObject(pe)) {
    const path = joinPointer(pointer, 'extensions', 'windows-pebinary-ext');
    checkContent(pe, 'windows-pebinary-ext', path, '§6.7.6', ctx, 'pe_type');
    checkContent(pe['optional_header'], 'windows-pe-optional-header', joinPointer(path, 'optional_header'), '§6.7.6.2', ctx);
  }
}

function withExtensionRules(rule: TypeRule | undefined): TypeRule {
  return (obj, pointer, ctx) => {
    rule?.(obj, pointer, ctx);
    checkExtensions(obj, pointer, ctx);
  };
}

function registryKey(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  const values = obj['values'];
  if (!Array.isArray(values)) return;
  for (let i = 0; i < values.length; i++) checkContent(values[i], 'windows-registry-value', joinPointer(pointer, 'values', i), '§6.17.2', ctx);
}

function x509(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  checkContent(obj['x509_v3_extensions'], 'x509-v3-extensions', joinPointer(pointer, 'x509_v3_extensions'), '§6.18.2', ctx);
}

const processRule = atLeastOne('§6.13', true);
const userAccountRule = atLeastOne('§6.16', false);
const registryKeyRule = atLeastOne('§6.17', false);
const x509Rule = atLeastOne('§6.18', false);

const TYPE_RULES: ReadonlyMap<string, TypeRule> = new Map<string, TypeRule>([
  ['file', withExtensionRules(undefined)],
  ['network-traffic', withExtensionRules(undefined)],
  ['process', withExtensionRules(processRule)],
  ['user-account', withExtensionRules(userAccountRule)],
  [
    'windows-registry-key',
    (obj, pointer, ctx) => {
      registryKeyRule(obj, pointer, ctx);
      registryKey(obj, pointer, ctx);
    },
  ],
  [
    'x509-certificate',
    (obj, pointer, ctx) => {
      x509Rule(obj, pointer, ctx);
      x509(obj, pointer, ctx);
    },
  ],
]);

/** Per-type co-occurrence rules of §4-§6 that the schemas cannot state. */
export function checkCoOccurrence(obj: JsonObject, type: string, pointer: string, ctx: RuleContext): void {
  const rule = TYPE_RULES.get(type);
  if (rule !== undefined) rule(obj, pointer, ctx);
}
