/**
 * RFC 7518 §4.6.2: the Concat KDF of NIST SP 800-56A §5.8.1 with SHA-256, as ECDH-ES uses it.
 * Composed from the platform's SHA-256; no hashing here.
 */
import { platform } from '#platform';
import { concatBytes, encodeUTF8, uint32BE } from '../core/bytes.js';

const HASH_BITS = 256;

/** A Concat KDF field: its 32-bit big-endian length, then the bytes (RFC 7518 §4.6.2). */
function field(data: Uint8Array): Uint8Array {
  return concatBytes(uint32BE(data.length), data);
}

/**
 * OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (SuppPrivInfo empty).
 * AlgorithmID is the `enc` value for direct key agreement, the `alg` value with key wrapping;
 * SuppPubInfo is keydatalen, in bits, as a 32-bit big-endian integer.
 */
export function otherInfo(algorithmID: string, apu: Uint8Array, apv: Uint8Array, keyDataLenBits: number): Uint8Array {
  return concatBytes(field(encodeUTF8(algorithmID)), field(apu), field(apv), uint32BE(keyDataLenBits));
}

/** The hash inputs: round i (from 1) hashes counter(i) || Z || OtherInfo. */
function rounds(z: Uint8Array, info: Uint8Array, keyDataLenBits: number): Uint8Array[] {
  const reps = Math.ceil(keyDataLenBits / HASH_BITS);
  const out: Uint8Array[] = [];
  for (let i = 1; i <= reps; i++) out.push(concatBytes(uint32BE(i), z, info));
  return out;
}

function truncate(hashes: Uint8Array[], keyDataLenBits: number): Uint8Array {
  return concatBytes(...hashes).slice(0, keyDataLenBits / 8);
}

/** Derives `keyDataLenBits` bits (a multiple of 8) from the shared secret `z`. */
export async function concatKDF(z: Uint8Array, info: Uint8Array, keyDataLenBits: number): Promise<Uint8Array> {
  const hashes = await Promise.all(rounds(z, info, keyDataLenBits).map((input) => platform.digest('SHA-256', input)));
  return truncate(hashes, keyDataLenBits);
}

export function concatKDFSync(z: Uint8Array, info: Uint8Array, keyDataLenBits: number): Uint8Array {
  return truncate(rounds(z, info, keyDataLenBits).map((input) => platform.digestSync('SHA-256', input)), keyDataLenBits);
}
