/**
 * The named string formats our JSON Schemas use (timestamps, identifiers, addresses, URLs), in a module of their own:
 * both the schema compiler and the validators generated ahead of time from the schemas call these functions.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isStixIdentifier, isStixTimestamp } from './lexical.js';
import { isAbsoluteUri } from './uri-syntax.js';

/** A frozen lookup table without a prototype, so that a format named `constructor` or `__proto__` finds nothing. */
function nullPrototype<V>(entries: Record<string, V>): Readonly<Record<string, V>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, V>, entries));
}

const IPV4_PREFIX = /^(?:[0-9]|[12][0-9]|3[0-2])$/;
const IPV6_PREFIX = /^(?:[0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/;

function isCidr(s: string, isAddress: (a: string) => boolean, prefix: RegExp): boolean {
  const slash = s.indexOf('/');
  if (slash === -1) return isAddress(s);
  return isAddress(s.slice(0, slash)) && prefix.test(s.slice(slash + 1));
}

/** A named format our schemas use, with the rule a failing value breaks (completes "X must be ..."). */
export interface StixFormat {
  readonly validate: (value: string) => boolean;
  readonly rule: string;
}

/** Named formats our schemas use. */
export const STIX_FORMATS: Readonly<Record<string, StixFormat>> = nullPrototype({
  'stix-timestamp': {
    validate: (s: string) => isStixTimestamp(s, 0),
    rule: 'a STIX timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z, in UTC, a real calendar date)',
  },
  'stix-timestamp-ms': {
    validate: (s: string) => isStixTimestamp(s, 3),
    rule: 'a STIX timestamp with at least millisecond precision (YYYY-MM-DDTHH:mm:ss.sssZ, in UTC, a real calendar date)',
  },
  'stix-identifier': {
    validate: isStixIdentifier,
    rule: 'a STIX identifier (<object-type>--<RFC 4122 UUID>)',
  },
  'stix-ipv4': {
    validate: (s: string) => isCidr(s, isIPv4, IPV4_PREFIX),
    rule: 'an IPv4 address or CIDR block (e.g. 198.51.100.3 or 198.51.100.0/24)',
  },
  'stix-ipv6': {
    // node accepts a zone index (fe80::1%eth0), which is no part of an address in CIDR notation (RFC 4291 §2.2-§2.3).
    validate: (s: string) => !s.includes('%') && isCidr(s, isIPv6, IPV6_PREFIX),
    rule: 'an IPv6 address or CIDR block (e.g. 2001:db8::1 or 2001:db8::/32)',
  },
  'stix-url': {
    validate: isAbsoluteUri,
    rule: 'an absolute URL in RFC 3986 syntax (a scheme such as https:, then only the characters RFC 3986 allows, %-escapes for others; brackets only around an IPv6 host)',
  },
});

