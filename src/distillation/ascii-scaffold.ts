/**
 * The last steps of the `norm-v1` template normalisation (numbers → `<num>`, lower case, whitespace collapsed to
 * single spaces and trimmed) in one pass over ASCII text. The definition is a chain of regular expressions (see
 * `normalizeTemplate`): each copies the text, and sampled prompts are normalised by the tens of thousands while
 * matching. This scanner gives exactly the chain's result on ASCII input; other text takes the chain itself.
 */

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * End of the number `/[-+]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?%?/i` would match at `p` in `s[0, n)`, or `p`
 * when it does not match there. Every repetition in it is greedy and every later part optional, so the regular
 * expression's first match is the longest run this reads. Reads stop at `n`: a read past the end of a string gives
 * `NaN`, and the first such read throws the optimised code away.
 */
function numberEnd(s: string, p: number, n: number): number {
  const at = (k: number) => (k < n ? s.charCodeAt(k) : -1);
  let i = p;
  const first = at(i);
  // A sign counts only with a number after it (without it the match would start at the sign, which no number does).
  if (first === 0x2d || first === 0x2b) i++;
  let j: number;
  if (isDigit(at(i))) {
    j = i + 1;
    for (let c = at(j); isDigit(c) || c === 0x2c || c === 0x5f; c = at(++j));
    if (at(j) === 0x2e && isDigit(at(j + 1))) {
      j += 2;
      while (isDigit(at(j))) j++;
    }
  } else if (at(i) === 0x2e && isDigit(at(i + 1))) {
    j = i + 2;
    while (isDigit(at(j))) j++;
  } else {
    return p;
  }
  const e = at(j);
  if (e === 0x65 || e === 0x45) {
    let k = j + 1;
    const sign = at(k);
    if (sign === 0x2d || sign === 0x2b) k++;
    if (isDigit(at(k))) {
      k++;
      while (isDigit(at(k))) k++;
      j = k;
    }
  }
  if (at(j) === 0x25) j++;
  return j;
}

const NUM = [0x3c, 0x6e, 0x75, 0x6d, 0x3e]; // <num>
let out = Buffer.alloc(1024);

/**
 * `text` (ASCII) with each number replaced by `<num>`, upper-case letters lowered and whitespace runs collapsed to one
 * space, trimmed: what `text.replace(NUMBER, ' <num> ').toLowerCase().replace(/\s+/g, ' ').trim()` gives.
 */
export function finishAsciiScaffold(text: string): string {
  const n = text.length;
  // Each input character yields at most 6 bytes ('<num>' and a space for a one-digit number).
  if (out.length < n * 6 + 8) out = Buffer.alloc(Math.max(n * 6 + 8, out.length * 2));
  const buf = out;
  let len = 0;
  // A space is written only before the next non-space byte: runs collapse, and none leads or trails.
  let space = false;
  let p = 0;
  while (p < n) {
    const c = text.charCodeAt(p);
    // Only a digit, a sign or a point can start a number: other characters skip the number scanner.
    if (c <= 0x39 && (c >= 0x30 || c === 0x2d || c === 0x2b || c === 0x2e)) {
      const end = numberEnd(text, p, n);
      if (end > p) {
        if (len > 0) buf[len++] = 0x20;
        for (let i = 0; i < 5; i++) buf[len++] = NUM[i] as number;
        space = true;
        p = end;
        continue;
      }
    }
    p++;
    if (isSpace(c)) {
      if (len > 0) space = true;
      continue;
    }
    if (space) {
      buf[len++] = 0x20;
      space = false;
    }
    buf[len++] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
  }
  return buf.toString('latin1', 0, len);
}
