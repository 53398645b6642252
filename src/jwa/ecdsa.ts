/** RFC 7518 §3.4 (ES256/384/512) and RFC 8812 §3.2 (ES256K). */
import type { JWSAlgorithm } from './jws-algorithm.js';
import type { Curve, HashName, SignatureScheme } from './types.js';

/** Group orders n (SEC 2, FIPS 186-4 D.1.2), big-endian hex. Used only to range-check r and s. */
const ORDERS: Record<string, string> = {
  'P-256': 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
  'P-384':
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  'P-521':
    '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  secp256k1: 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
};

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** True when 1 <= int(bytes) < n, both big-endian of the same length. */
function inRange(bytes: Uint8Array, n: Uint8Array): boolean {
  let nonZero = false;
  let cmp = 0; // -1 below n, 1 above, 0 equal so far
  for (let i = 0; i < n.length; i++) {
    const a = bytes[i] as number;
    const b = n[i] as number;
    if (a !== 0) nonZero = true;
    if (cmp === 0 && a !== b) cmp = a < b ? -1 : 1;
  }
  return nonZero && cmp === -1;
}

export function ecdsa(name: string, crv: Curve, hashBits: 256 | 384 | 512, size: number): JWSAlgorithm {
  const hash: HashName = `SHA-${hashBits}`;
  const scheme: SignatureScheme = Object.freeze({ kind: 'ecdsa', hash, crv });
  const n = hexBytes(ORDERS[crv] as string);
  if (n.length !== size) throw new Error(`ecdsa: the order of ${crv} must be ${size} bytes`);
  return Object.freeze({
    name,
    family: 'EC',
    curves: Object.freeze([crv]),
    minKeyBits: 0,
    hash,
    scheme: () => scheme,
    // RFC 7518 §3.4: the signature is R || S, each exactly `size` octets (IEEE P1363, never DER).
    // SECURITY: 1 <= r, s < n is checked here, not left to the platform (CVE-2022-21449).
    acceptsSignature(sig: Uint8Array): boolean {
      if (sig.length !== size * 2) return false;
      return inRange(sig.subarray(0, size), n) && inRange(sig.subarray(size), n);
    },
    generate: Object.freeze({ kty: 'EC', crv }),
    expensiveSign: crv === 'P-521',
  });
}
