// RFC 6238 codes and Luhn digits for the browser tests (what a person's
// authenticator app and a real RPPS number would provide).
import { createHmac } from 'node:crypto';

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The 6-digit TOTP code of a base32 secret at `when` (ms since epoch). */
export function totp(secret, when = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

/** `body` followed by its Luhn check digit. */
export function withLuhn(body) {
  for (let d = 0; d <= 9; d += 1) {
    const digits = `${body}${d}`;
    let sum = 0;
    [...digits].reverse().forEach((c, i) => {
      let n = Number(c);
      if (i % 2 === 1) { n *= 2; if (n > 9) n -= 9; }
      sum += n;
    });
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}
