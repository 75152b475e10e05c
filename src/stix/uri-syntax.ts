import { isIPv6 } from 'node:net';

/*
 * RFC 3986 §3 generic syntax of an absolute URI, which §6.15 (url value), §6.1 (artifact url) and §2.5 (external
 * reference url) require: scheme ":" hier-part ["?" query] ["#" fragment], each part of its own characters (§2),
 * percent-escapes of two hex digits, brackets only around an IP literal host (§3.2.2). So `example[.]com`, raw
 * spaces, `|`, `{`, `^`, `\` and non-ASCII characters (an IRI, RFC 3987, is not a URI) are refused; whether a URI is
 * also a locator (§1.1.3) is a matter of its scheme's meaning, not of syntax, and is not judged.
 */
const PCT = '%[0-9A-Fa-f]{2}';
const UNRESERVED = 'A-Za-z0-9\\-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const QUERY_OR_FRAGMENT = `(?:${PCHAR}|[/?])*`;
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*`;
const IP_LITERAL = '\\[([^\\[\\]/?#@]*)\\]';
const AUTHORITY = `(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?`;
const PATH_ABEMPTY = `(?:/${PCHAR}*)*`;
const HIER_PART = `(?://${AUTHORITY}${PATH_ABEMPTY}|/?(?:${PCHAR}+(?:/${PCHAR}*)*)?)`;
const ABSOLUTE_URI = new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:${HIER_PART}(?:\\?${QUERY_OR_FRAGMENT})?(?:#${QUERY_OR_FRAGMENT})?$`);
/** RFC 3986 §3.2.2 IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ). */
const IP_FUTURE = new RegExp(`^[vV][0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+$`);

/** True when `value` is an absolute URI by RFC 3986's generic syntax (see the module comment for what that excludes). */
export function isAbsoluteUri(value: string): boolean {
  const m = ABSOLUTE_URI.exec(value);
  if (m === null) return false;
  const literal = m[1];
  return literal === undefined || isIPv6(literal) || IP_FUTURE.test(literal);
}
