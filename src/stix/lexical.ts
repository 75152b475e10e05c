/**
 * Hand-written recognisers for the two string shapes every STIX object carries several times: identifiers (§2.7) and
 * timestamps (§3.2). They accept exactly what these regular expressions accept (a property test holds them to it):
 *
 *   identifier: ^[a-z][a-z0-9]*(?:-[a-z0-9]+)*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$
 *   timestamp:  ^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?Z$
 *
 * and the timestamp check also refuses days the month does not have. The regular expressions cost about a third of
 * the whole schema pass (a relationship has six such strings), a character walk a fraction of that.
 */

/** `0`-`9` → value, `a`-`f` and `A`-`F` → 10-15, anything else → -1; indexed by UTF-16 code unit below 128. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 48; c <= 57; c++) HEX_VALUE[c] = c - 48;
for (let c = 97; c <= 102; c++) HEX_VALUE[c] = c - 87;
for (let c = 65; c <= 70; c++) HEX_VALUE[c] = c - 55;

function isHexRun(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (HEX_VALUE[c] as number) < 0) return false;
  }
  return true;
}

/** A type name as the identifier shape allows it: lowercase words of letters and digits joined by single hyphens. */
function isTypePart(s: string, end: number): boolean {
  const first = s.charCodeAt(0);
  if (first < 97 || first > 122) return false;
  let afterHyphen = false;
  for (let i = 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 45) {
      if (afterHyphen) return false;
      afterHyphen = true;
    } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      afterHyphen = false;
    } else {
      return false;
    }
  }
  return !afterHyphen;
}

/** Whether `s` is `<type>--<UUID>` with an RFC 4122 UUID (version 1-5, variant 10xx), any hex case. */
export function isStixIdentifier(s: string): boolean {
  const cut = s.length - 38;
  if (cut < 1 || s.charCodeAt(cut) !== 45 || s.charCodeAt(cut + 1) !== 45) return false;
  const u = cut + 2;
  if (s.charCodeAt(u + 8) !== 45 || s.charCodeAt(u + 13) !== 45 || s.charCodeAt(u + 18) !== 45 || s.charCodeAt(u + 23) !== 45) {
    return false;
  }
  const version = s.charCodeAt(u + 14);
  if (version < 49 || version > 53) return false;
  // 8, 9, a, b or A, B. Only letters are folded: folding every character would take U+0018 and U+0019 for 8 and 9.
  const variant = s.charCodeAt(u + 19);
  const letter = variant | 0x20;
  if (variant !== 56 && variant !== 57 && letter !== 97 && letter !== 98) return false;
  return (
    isHexRun(s, u, u + 8) &&
    isHexRun(s, u + 9, u + 13) &&
    isHexRun(s, u + 15, u + 18) &&
    isHexRun(s, u + 20, u + 23) &&
    isHexRun(s, u + 24, u + 36) &&
    isTypePart(s, cut)
  );
}

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -100;
}

/** Two digits at `i` as a number; negative when either is not a digit. */
function twoDigits(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}

/**
 * Whether `s` is a STIX timestamp `YYYY-MM-DDTHH:mm:ss[.s+]Z` on a real calendar day (leap seconds allowed as :60),
 * with at least `minFraction` digits after the seconds (0: the fraction is optional; 3: millisecond precision).
 */
export function isStixTimestamp(s: string, minFraction: number): boolean {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return false;
  }
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (century < 0 || yearOfCentury < 0) return false;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }
  if (day > 28) {
    const year = century * 100 + yearOfCentury;
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const length = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
    if (day > length) return false;
  }
  if (n === 20) return minFraction === 0;
  // A fraction: '.', then one or more digits up to the Z.
  if (s.charCodeAt(19) !== 46 || n - 21 < Math.max(minFraction, 1)) return false;
  for (let i = 20; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
