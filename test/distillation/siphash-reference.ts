// SipHash-2-4 written from the paper (Aumasson and Bernstein, 2012) with BigInt: an independent implementation the
// tests compare the library's 32-bit one and the fingerprint definition with.
const M64 = (1n << 64n) - 1n;

/** SipHash-2-4 written from the paper with BigInt: an independent implementation to compare with. */
export function reference(key: Uint8Array, msg: Uint8Array): bigint {
  const le = (b: Uint8Array, at: number, n = 8) => {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i] ?? 0);
    return v;
  };
  const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M64;
  const k0 = le(key, 0);
  const k1 = le(key, 8);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & M64;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M64;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M64;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M64;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const blocks: bigint[] = [];
  for (let at = 0; at + 8 <= msg.length; at += 8) blocks.push(le(msg, at));
  const rest = msg.length % 8;
  blocks.push(le(msg, msg.length - rest, rest) | (BigInt(msg.length & 0xff) << 56n));
  for (const m of blocks) {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

