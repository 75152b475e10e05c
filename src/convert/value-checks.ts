import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * Checks every value before it is exported as an indicator. Feeds carry defanged values (`59.188.12[.]123`,
 * `hxxp://...`) written for humans to read safely, and malformed ones; exported as they are, a firewall list holds an
 * entry that blocks nothing and Elasticsearch refuses the whole document (`ip` fields take addresses only). So each
 * value must be what its type says, and defanged text is restored only when the user asks for it.
 */

/** Why a value cannot be exported. */
export interface ValueProblem {
  /** `value-defanged`: written in a defanged form; `value-malformed`: not a value of its type at all. */
  readonly code: 'value-defanged' | 'value-malformed';
  /** A sentence naming the value, its type and what is wrong. */
  readonly reason: string;
}

/** A value that can be exported, or why not. */
export type ValueCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: ValueProblem };

// The defanging conventions in common use (brackets, parentheses or braces around dots, colons and at-signs; spelled-out
// [dot] and [at]; hxxp/fxp schemes). Any of these anywhere marks the value as defanged.
const DEFANG_MARKS = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[:\]|\[:\/\/\]|\[@\]|\(@\)|\[at\]|\(at\)|\{at\}|^(?:hxxps?|hxxxps?|hxtps?|fxps?|meows?)(?:\[:\]|:)/i;

/** Restores a defanged value (only called with the user's explicit opt-in). */
export function refang(value: string): string {
  return value
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}/gi, '.')
    .replace(/\[:\/\/\]/g, '://')
    .replace(/\[:\]/g, ':')
    .replace(/\[@\]|\(@\)|\[at\]|\(at\)|\{at\}/gi, '@')
    .replace(/^(?:hxxp|hxxxp|hxtp|meow)(s?)(?=:)/i, 'http$1')
    .replace(/^fxp(s?)(?=:)/i, 'ftp$1');
}

/** Hex digest lengths of the hash algorithms (STIX hash-algorithm-ov and the 2.0 names still seen). */
const HEX_LENGTHS: Readonly<Record<string, number>> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-224': 56,
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
  'SHA3-224': 56,
  'SHA3-256': 64,
  'SHA3-384': 96,
  'SHA3-512': 128,
};

const SSDEEP = /^\d+:[A-Za-z0-9/+]+:[A-Za-z0-9/+]+$/;
// TLSH: "T1" then 70 hex digits (current format), or 70/72 hex digits without the version prefix (older tools).
const TLSH = /^(?:T1[0-9A-Fa-f]{70}|[0-9A-Fa-f]{70}|[0-9A-Fa-f]{72})$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** Schemes whose URLs name a host that must itself be valid. */
const HOST_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ftps:', 'sftp:', 'ws:', 'wss:']);

/**
 * Checks one value of an indicator row.
 *
 * @param type - the SCO type (`ipv4-addr`, `domain-name`, `url`, `email-addr`, `file`, `autonomous-system`, ...).
 * @param property - the row's property (`value`, `hashes.SHA-256`, `number`).
 * @param hashAlgo - for file hashes, the algorithm.
 * @param allowRefang - restore defanged values instead of refusing them.
 */
export function checkValue(type: string, property: string, value: string, hashAlgo: string | undefined, allowRefang: boolean): ValueCheck {
  if (hashAlgo !== undefined) return checkHash(hashAlgo, value);
  const checker = CHECKERS[type];
  if (checker === undefined || (property !== 'value' && property !== 'number')) return { ok: true, value };
  if (DEFANG_MARKS.test(value)) {
    if (!allowRefang) {
      return problem('value-defanged', `the ${type} value '${value}' is defanged; it is not exported (restoring defanged values is opt-in: --refang)`);
    }
    const restored = refang(value);
    const why = checker(restored);
    if (why === undefined) return { ok: true, value: restored };
    return problem('value-malformed', `the ${type} value '${value}', refanged to '${restored}', ${why}`);
  }
  const why = checker(value);
  return why === undefined ? { ok: true, value } : problem('value-malformed', `the ${type} value '${value}' ${why}`);
}

function problem(code: ValueProblem['code'], reason: string): ValueCheck {
  return { ok: false, problem: { code, reason } };
}

/** Each returns `undefined` for a good value, else the end of a sentence saying what is wrong. */
const CHECKERS: Readonly<Record<string, (value: string) => string | undefined>> = {
  'ipv4-addr': (v) => (isIPv4Cidr(v) ? undefined : 'is not an IPv4 address or CIDR block'),
  'ipv6-addr': (v) => (isIPv6Cidr(v) ? undefined : 'is not an IPv6 address or CIDR block'),
  'domain-name': (v) => domainProblem(v),
  url: (v) => urlProblem(v),
  'email-addr': (v) => emailProblem(v),
  'autonomous-system': (v) => (/^\d{1,10}$/.test(v) && Number(v) <= 0xffffffff ? undefined : 'is not an AS number (0 to 4294967295)'),
};

function isIPv4Cidr(v: string): boolean {
  const [address = '', prefix, extra] = v.split('/');
  if (extra !== undefined || !isIPv4(address)) return false;
  // node accepts no leading zeros already; a prefix is 0-32 in plain decimal.
  return prefix === undefined || (/^(?:[0-9]|[12][0-9]|3[0-2])$/.test(prefix));
}

function isIPv6Cidr(v: string): boolean {
  const [address = '', prefix, extra] = v.split('/');
  if (extra !== undefined || address.includes('%') || !isIPv6(address)) return false;
  return prefix === undefined || /^(?:[0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/.test(prefix);
}

function domainProblem(v: string): string | undefined {
  const name = v.endsWith('.') ? v.slice(0, -1) : v;
  // Internationalised names are checked in their ASCII (punycode) form; domainToASCII returns '' for what is invalid.
  const ascii = /^[\x21-\x7e]*$/.test(name) ? name.toLowerCase() : domainToASCII(name);
  if (ascii === '' || ascii.length > 253) return 'is not a domain name';
  const labels = ascii.split('.');
  if (!labels.every((l) => DOMAIN_LABEL.test(l))) return 'is not a domain name (labels of letters, digits and hyphens, 1-63 characters)';
  if (labels.length === 4 && labels.every((l) => /^\d+$/.test(l))) return 'is an IP address, not a domain name';
  return undefined;
}

function urlProblem(v: string): string | undefined {
  if (!URL_SCHEME.test(v)) return 'is not an absolute URL (no scheme)';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'is not a URL';
  }
  if (!HOST_SCHEMES.has(url.protocol)) return undefined;
  const host = url.hostname;
  if (host === '') return 'has no host';
  if (host.startsWith('[')) return isIPv6(host.slice(1, -1)) ? undefined : 'has an invalid IPv6 host';
  if (isIPv4(host)) return undefined;
  if (/^[\d.]+$/.test(host)) return `has host '${host}', which is not a valid IPv4 address`;
  return domainProblem(host) === undefined ? undefined : `has host '${host}', which is not a domain name`;
}

function emailProblem(v: string): string | undefined {
  const at = v.lastIndexOf('@');
  if (at <= 0) return 'is not an email address (no local part and @)';
  const local = v.slice(0, at);
  const domain = v.slice(at + 1);
  if (!EMAIL_LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return 'is not an email address (invalid local part)';
  }
  if (domain.startsWith('[') && domain.endsWith(']')) return isIPv4(domain.slice(1, -1)) ? undefined : 'is not an email address (invalid address literal)';
  return domainProblem(domain) === undefined ? undefined : 'is not an email address (invalid domain)';
}

function checkHash(algo: string, value: string): ValueCheck {
  const upper = algo.toUpperCase();
  const length = HEX_LENGTHS[upper];
  if (length !== undefined) {
    if (value.length === length && /^[0-9a-fA-F]+$/.test(value)) return { ok: true, value };
    return problem('value-malformed', `the ${algo} hash '${value}' is not ${length} hexadecimal digits`);
  }
  if (upper === 'SSDEEP' && !SSDEEP.test(value)) return problem('value-malformed', `the SSDEEP hash '${value}' is not blocksize:hash:hash`);
  if (upper === 'TLSH' && !TLSH.test(value)) return problem('value-malformed', `the TLSH hash '${value}' is not T1 and 70 hexadecimal digits`);
  if (/\s/.test(value)) return problem('value-malformed', `the ${algo} hash '${value}' contains whitespace`);
  return { ok: true, value };
}
