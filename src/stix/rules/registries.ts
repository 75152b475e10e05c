import { joinPointer } from '../diagnostic.js';
import { charsetProblem } from './iana-charsets.js';
import { PRESENT } from './presence.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportError, reportWarning } from './rule.js';

/*
 * Values that must come from an external registry (§3.2 lang, §6 *_enc, software languages and cpe, §4.1/§4.19
 * CAPEC and CVE ids). Registry lookups use what the runtime already ships (ICU language names, WHATWG encoding
 * labels) and are memoised, so a stream of objects with the same few values costs one Map lookup each.
 */

/** ICU's language names, made on first need: building them costs a command ~25 ms of start-up it may never use. */
let languageNames: Intl.DisplayNames | undefined;
/** ISO 639 codes reserved for special situations (§5646 2.2.1): valid although they name no language. */
const SPECIAL_LANGUAGES: ReadonlySet<string> = new Set(['mis', 'mul', 'und', 'zxx']);
const LANGUAGE_TAG = /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/;
const languageCache = new Map<string, boolean>();

/**
 * True when `tag` is an RFC 5646 language tag whose primary language subtag is registered (private-use `x-` tags and
 * the `qaa`-`qtz` private-use range included).
 */
export function isLanguageTag(tag: string): boolean {
  const cached = languageCache.get(tag);
  if (cached !== undefined) return cached;
  let ok = false;
  if (LANGUAGE_TAG.test(tag)) {
    const primary = tag.split('-', 1)[0]?.toLowerCase() ?? '';
    if (primary === 'x' || primary === 'i') ok = primary === 'x' ? tag.length > 2 : safeName(tag) !== undefined;
    else if (primary.length >= 2 && primary.length <= 3) {
      ok = SPECIAL_LANGUAGES.has(primary) || (primary >= 'qaa' && primary <= 'qtz') || safeName(primary) !== undefined;
    }
  }
  if (languageCache.size < 10_000) languageCache.set(tag, ok);
  return ok;
}

function safeName(code: string): string | undefined {
  try {
    languageNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    return languageNames.of(code);
  } catch {
    return undefined;
  }
}

const DICT_KEY = /^[a-zA-Z0-9_-]+$/;
/** RFC 6838 type/subtype with an IANA top-level type (parameters allowed after ';'). */
const MIME_TYPE = /^(?:application|audio|font|haptics|image|message|model|multipart|text|video)\/[a-zA-Z0-9!#$&^_.+-]+(?:\s*;.*)?$/;
const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const CAPEC_ID = /^CAPEC-\d+$/;
/** NIST IR 7695 formatted-string binding of a CPE 2.3 name (§6.14 software.cpe). */
const CPE23 =
  /^cpe:2\.3:[aho*-](?::(?:(?:\?*|\*?)(?:[a-zA-Z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~])+(?:\?*|\*?)|[*-])){5}:(?:[a-zA-Z]{2,3}(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?|[*-])(?::(?:(?:\?*|\*?)(?:[a-zA-Z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~])+(?:\?*|\*?)|[*-])){4}$/;

/**
 * RFC 1034 §3.1 / RFC 5890 shape of a domain name: dot-separated labels of 1-63 characters, 253 in all, an optional
 * final dot. Labels are letters, digits, hyphens (not at either end) and, for IDNs, non-ASCII letters; `_` is
 * allowed because service and DKIM names (`_dmarc.example.com`) carry it. Defanged forms (`example[.]com`), URLs and
 * addresses are refused.
 */
const DOMAIN_LABEL = /^(?:[_\p{L}\p{N}](?:[-\p{L}\p{N}\p{M}_]{0,61}[\p{L}\p{N}\p{M}_])?)$/u;

/** True when `value` has the shape of a domain name (see {@link DOMAIN_LABEL}). */
export function isDomainName(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name === '' || name.length > 253) return false;
  for (const label of name.split('.')) if (!DOMAIN_LABEL.test(label)) return false;
  return true;
}

function checkLang(value: unknown, path: string, ctx: RuleContext): void {
  if (typeof value === 'string' && !isLanguageTag(value)) {
    reportError(ctx, 'language-tag-invalid', path, `'${value}' is not a valid RFC 5646 language tag (§3.2)`);
  }
}

function checkCharset(obj: JsonObject, prop: string, pointer: string, section: string, ctx: RuleContext): void {
  const value = obj[prop];
  const problem = typeof value === 'string' ? charsetProblem(value) : undefined;
  if (problem !== undefined) reportError(ctx, 'charset-invalid', joinPointer(pointer, prop), `${prop}: ${problem} (${section} MUST)`);
}

/**
 * §4.1 / §4.19: an external reference that names CAPEC or CVE uses the exact source_name and the registry's id format.
 * A reference is "about" CAPEC/CVE when either its source_name (any case) or its external_id says so.
 */
function checkExternalIds(obj: JsonObject, type: string, pointer: string, ctx: RuleContext): void {
  const refs = obj['external_references'];
  if (!Array.isArray(refs)) return;
  const isCve = type === 'vulnerability';
  const source = isCve ? 'cve' : 'capec';
  const prefix = isCve ? 'CVE-' : 'CAPEC-';
  const format = isCve ? CVE_ID : CAPEC_ID;
  for (let i = 0; i < refs.length; i++) {
    const ref: unknown = refs[i];
    if (!isObject(ref)) continue;
    const name = ref['source_name'];
    const extId = ref['external_id'];
    const named = typeof name === 'string' && name.toLowerCase() === source;
    const idLike = typeof extId === 'string' && extId.toUpperCase().startsWith(prefix);
    if (!named && !idLike) continue;
    if (name !== source || typeof extId !== 'string' || !format.test(extId)) {
      reportError(
        ctx,
        isCve ? 'external-reference-cve' : 'external-reference-capec',
        joinPointer(pointer, 'external_references', i),
        isCve
          ? "a CVE reference must have source_name 'cve' and external_id the exact CVE id, CVE-YYYY-NNNN... (§4.19)"
          : "a CAPEC reference must have source_name 'capec' and external_id CAPEC-<number> (§4.1)",
      );
    }
  }
}

/** An RFC 2047 §2 encoded-word: `=?charset?B|Q?text?=`. */
const ENCODED_WORD = /=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=/;

/**
 * §6.6: "Header field values that have been encoded as described in section 2 of RFC 2047 MUST be decoded before
 * inclusion in Email Message object properties". Checked on the properties that carry header values: subject,
 * message_id, content_type, received_lines, additional_header_fields and the MIME parts' content headers.
 */
function checkEmailHeaders(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  const check = (value: unknown, path: string): void => {
    if (typeof value === 'string' && ENCODED_WORD.test(value)) {
      reportError(ctx, 'email-header-encoded', path, `header value '${value.length > 60 ? value.slice(0, 57) + '...' : value}' is still RFC 2047 encoded; it must be decoded (§6.6 MUST)`);
    }
  };
  for (const name of ['subject', 'message_id', 'content_type'] as const) check(obj[name], joinPointer(pointer, name));
  const lines = obj['received_lines'];
  if (Array.isArray(lines)) for (let i = 0; i < lines.length; i++) check(lines[i], joinPointer(pointer, 'received_lines', i));
  const extra = obj['additional_header_fields'];
  if (isObject(extra)) {
    for (const key in extra) {
      const v = extra[key];
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) check(v[i], joinPointer(pointer, 'additional_header_fields', key, i));
      else check(v, joinPointer(pointer, 'additional_header_fields', key));
    }
  }
  const parts = obj['body_multipart'];
  if (Array.isArray(parts)) {
    for (let i = 0; i < parts.length; i++) {
      const part: unknown = parts[i];
      if (!isObject(part)) continue;
      for (const name of ['content_type', 'content_disposition'] as const) check(part[name], joinPointer(pointer, 'body_multipart', i, name));
    }
  }
}

/** The Windows registry's root keys, as Windows names them in full. */
const FULL_HIVES: ReadonlySet<string> = new Set([
  'HKEY_CLASSES_ROOT',
  'HKEY_CURRENT_USER',
  'HKEY_LOCAL_MACHINE',
  'HKEY_USERS',
  'HKEY_CURRENT_CONFIG',
  'HKEY_PERFORMANCE_DATA',
  'HKEY_PERFORMANCE_TEXT',
  'HKEY_PERFORMANCE_NLSTEXT',
  'HKEY_DYN_DATA',
  'HKEY_CURRENT_USER_LOCAL_SETTINGS',
]);

/** Short forms of the root keys (HKLM...) and their full names. */
const HIVE_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['HKLM', 'HKEY_LOCAL_MACHINE'],
  ['HKCU', 'HKEY_CURRENT_USER'],
  ['HKCR', 'HKEY_CLASSES_ROOT'],
  ['HKU', 'HKEY_USERS'],
  ['HKCC', 'HKEY_CURRENT_CONFIG'],
  ['HKPD', 'HKEY_PERFORMANCE_DATA'],
  ['HKDD', 'HKEY_DYN_DATA'],
]);

/**
 * §6.17: "The hive portion of the key MUST be fully expanded and not truncated; e.g., HKEY_LOCAL_MACHINE must be
 * used instead of HKLM." A key whose first component is a short form (HKLM) or a cut-off root name (HKEY_LOCAL) breaks
 * it; the key is case-preserved (a SHOULD), so hives are compared without case.
 */
function checkRegistryHive(key: string, path: string, ctx: RuleContext): void {
  const cut = key.indexOf('\\');
  const hive = (cut < 0 ? key : key.slice(0, cut)).toUpperCase();
  const full = HIVE_ABBREVIATIONS.get(hive);
  if (full !== undefined) {
    reportError(ctx, 'registry-hive-abbreviated', path, `the hive '${key.slice(0, hive.length)}' must be written in full (${full}), not abbreviated (§6.17 MUST)`);
  } else if (hive.startsWith('HKEY_') && !FULL_HIVES.has(hive)) {
    reportError(ctx, 'registry-hive-abbreviated', path, `the hive '${key.slice(0, hive.length)}' is not a root key of the registry written in full, e.g. HKEY_LOCAL_MACHINE (§6.17 MUST)`);
  }
}

/** Registry-backed value checks. */
export function checkRegistries(obj: JsonObject, type: string, pointer: string, ctx: RuleContext, present: number): void {
  if ((present & PRESENT.lang) !== 0 && obj['lang'] !== undefined) checkLang(obj['lang'], joinPointer(pointer, 'lang'), ctx);
  const granular = (present & PRESENT.granular_markings) === 0 ? undefined : obj['granular_markings'];
  if (Array.isArray(granular)) {
    for (let i = 0; i < granular.length; i++) {
      const gm: unknown = granular[i];
      if (isObject(gm) && gm['lang'] !== undefined) checkLang(gm['lang'], joinPointer(pointer, 'granular_markings', i, 'lang'), ctx);
    }
  }
  switch (type) {
    case 'vulnerability':
    case 'attack-pattern':
      checkExternalIds(obj, type, pointer, ctx);
      break;
    case 'file': {
      checkCharset(obj, 'name_enc', pointer, '§6.7', ctx);
      const mime = obj['mime_type'];
      if (typeof mime === 'string' && !MIME_TYPE.test(mime)) {
        reportWarning(ctx, 'mime-type-invalid', joinPointer(pointer, 'mime_type'), `mime_type '${mime}' should be an IANA media type (§6.7)`);
      }
      break;
    }
    case 'artifact': {
      const mime = obj['mime_type'];
      if (typeof mime === 'string' && !MIME_TYPE.test(mime)) {
        reportError(ctx, 'mime-type-invalid', joinPointer(pointer, 'mime_type'), `mime_type '${mime}' must be an IANA media type (§6.1)`);
      }
      break;
    }
    case 'directory':
      checkCharset(obj, 'path_enc', pointer, '§6.3', ctx);
      break;
    case 'domain-name': {
      const value = obj['value'];
      if (typeof value === 'string' && !isDomainName(value)) {
        reportError(ctx, 'domain-name-invalid', joinPointer(pointer, 'value'), `'${value}' is not a domain name (RFC 1034/5890), which §6.4 requires (MUST)`);
      }
      break;
    }
    case 'language-content': {
      const contents = obj['contents'];
      // Keys with characters a dictionary key may not hold are the schema's finding, not a second one here.
      if (isObject(contents)) {
        for (const key in contents) if (DICT_KEY.test(key)) checkLang(key, joinPointer(pointer, 'contents', key), ctx);
      }
      break;
    }
    case 'email-message':
      checkEmailHeaders(obj, pointer, ctx);
      break;
    case 'windows-registry-key': {
      const key = obj['key'];
      if (typeof key === 'string') checkRegistryHive(key, joinPointer(pointer, 'key'), ctx);
      break;
    }
    case 'software': {
      const langs = obj['languages'];
      if (Array.isArray(langs)) for (let i = 0; i < langs.length; i++) checkLang(langs[i], joinPointer(pointer, 'languages', i), ctx);
      const cpe = obj['cpe'];
      if (typeof cpe === 'string' && !CPE23.test(cpe)) {
        reportError(ctx, 'cpe-invalid', joinPointer(pointer, 'cpe'), `cpe '${cpe}' is not a CPE 2.3 formatted string, which §6.14 requires (MUST)`);
      }
      break;
    }
    default:
      break;
  }
}
