/** Writes `text` as UTF-8 into `buf` (room for 3 bytes per UTF-16 unit) and returns the byte count. */
export function writeUtf8(text: string, buf: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[n++] = c;
    } else if (c < 0x800) {
      buf[n++] = 0xc0 | (c >>> 6);
      buf[n++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      buf[n++] = 0xf0 | (c >>> 18);
      buf[n++] = 0x80 | ((c >>> 12) & 0x3f);
      buf[n++] = 0x80 | ((c >>> 6) & 0x3f);
      buf[n++] = 0x80 | (c & 0x3f);
    } else {
      // A lone surrogate becomes U+FFFD, as Buffer.from(text, 'utf8') writes it.
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      buf[n++] = 0xe0 | (c >>> 12);
      buf[n++] = 0x80 | ((c >>> 6) & 0x3f);
      buf[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}
