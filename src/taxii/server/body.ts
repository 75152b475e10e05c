import type { TaxiiRequest } from './exchange.js';

/** Outcome of reading a request body under a size limit. */
export type BodyResult = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly reason: 'too-large' | 'bad-length' };

/**
 * Reads a request body, refusing (without reading further) one whose declared `Content-Length` exceeds `limit`, and
 * stopping as soon as a chunked body goes past it. Nothing beyond `limit` + one chunk is ever held in memory.
 */
export async function readBodyWithin(req: TaxiiRequest, limit: number): Promise<BodyResult> {
  const declared = req.header('content-length');
  if (declared !== null) {
    if (!/^\s*\d+\s*$/.test(declared)) return { ok: false, reason: 'bad-length' };
    if (Number(declared) > limit) {
      req.abandonBody?.();
      return { ok: false, reason: 'too-large' };
    }
  }
  // With a declared length the body is copied into one buffer as it arrives, so a large body is held once, not
  // twice (chunks, then their concatenation).
  const expected = declared === null ? undefined : Number(declared);
  const whole = expected === undefined ? undefined : Buffer.allocUnsafe(expected);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.body()) {
    if (whole !== undefined && size + chunk.byteLength <= whole.length) whole.set(chunk, size);
    size += chunk.byteLength;
    if (size > limit) {
      req.abandonBody?.();
      return { ok: false, reason: 'too-large' };
    }
    if (whole === undefined) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  if (whole !== undefined) {
    // Node's parser enforces Content-Length; a transport that does not and sends a different length gets a 400.
    return size === whole.length ? { ok: true, bytes: whole } : { ok: false, reason: 'bad-length' };
  }
  return { ok: true, bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) };
}
