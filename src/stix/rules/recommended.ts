import { joinPointer } from '../diagnostic.js';
import { PRESENT } from './presence.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportWarning } from './rule.js';

/** Properties producers SHOULD provide, per type (§4.7 indicator; §7.3 extension-definition). */
const RECOMMENDED: ReadonlyMap<string, readonly string[]> = new Map([
  ['indicator', ['name', 'description']],
  ['extension-definition', ['description']],
]);

/** Properties the spec keeps only for compatibility, per type. */
const DEPRECATED: ReadonlyMap<string, readonly string[]> = new Map([['observed-data', ['objects']]]);

// Created on first use: loading the region names is a noticeable share of start-up for runs that never need them.
let regionNames: Intl.DisplayNames | undefined;
/** Codes ICU names that ISO 3166-1 does not assign to a country (reserved, macro-regions, "unknown"). */
const NOT_ISO_COUNTRIES: ReadonlySet<string> = new Set(['EU', 'EZ', 'QO', 'UK', 'UN', 'ZZ']);
const countryCache = new Map<string, boolean>();

/** True for an ISO 3166-1 alpha-2 country code (either case). */
export function isCountryCode(code: string): boolean {
  const cached = countryCache.get(code);
  if (cached !== undefined) return cached;
  const upper = code.toUpperCase();
  let ok = /^[A-Z]{2}$/.test(upper) && !NOT_ISO_COUNTRIES.has(upper);
  if (ok) {
    try {
      regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
      ok = regionNames.of(upper) !== undefined;
    } catch {
      ok = false;
    }
  }
  if (countryCache.size < 1000) countryCache.set(code, ok);
  return ok;
}

/**
 * SHOULD-level checks: recommended properties present (§4.7, §7.3), deprecated ones absent (§4.14), external
 * references with a url carrying hashes of its content (§2 external-reference), countries as ISO 3166-1 alpha-2
 * codes (§4.10).
 */
export function checkRecommended(obj: JsonObject, type: string, pointer: string, ctx: RuleContext, present: number): void {
  const props = RECOMMENDED.get(type);
  if (props !== undefined) {
    for (const p of props) {
      if (obj[p] === undefined) {
        reportWarning(ctx, 'recommended-property-missing', pointer, `producers should provide '${p}' on ${type} objects`);
      }
    }
  }
  if (type === 'extension-definition' && obj['extension_properties'] === undefined) {
    const types = obj['extension_types'];
    if (Array.isArray(types) && types.includes('toplevel-property-extension')) {
      reportWarning(
        ctx,
        'recommended-property-missing',
        pointer,
        'a toplevel-property-extension definition should list its extension_properties (§7.3)',
      );
    }
  }
  const deprecated = DEPRECATED.get(type);
  if (deprecated !== undefined) {
    for (const p of deprecated) {
      if (obj[p] !== undefined) {
        reportWarning(ctx, 'deprecated-property', joinPointer(pointer, p), `${type} property '${p}' is deprecated`);
      }
    }
  }
  if (type === 'location') {
    const country = obj['country'];
    if (typeof country === 'string' && !isCountryCode(country)) {
      const message = `country '${country}' should be an ISO 3166-1 alpha-2 code (§4.10)`;
      reportWarning(ctx, 'country-code-invalid', joinPointer(pointer, 'country'), message);
    }
  }
  if ((present & PRESENT.external_references) === 0) return;
  const refs = obj['external_references'];
  if (Array.isArray(refs)) {
    for (let i = 0; i < refs.length; i++) {
      const ref: unknown = refs[i];
      if (isObject(ref) && ref['url'] !== undefined && ref['hashes'] === undefined) {
        const message = 'an external reference with a url should carry hashes of the content it points to';
        reportWarning(ctx, 'external-reference-no-hashes', joinPointer(pointer, 'external_references', i), message);
      }
    }
  }
}
