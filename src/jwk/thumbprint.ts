/** RFC 7638 JWK thumbprints and RFC 9278 thumbprint URIs. */
import { platform } from '#platform';
import { encodeBase64URL } from '../core/base64url.js';
import { encodeUTF8 } from '../core/bytes.js';
import { InvalidArgumentError, SyncUnsupportedError } from '../core/errors.js';
import { TesseraKey } from '../jwa/key.js';
import type { HashName, JWK } from '../jwa/types.js';
import { checkJWK } from './validate.js';

/** Hash names accepted for thumbprints. */
export type ThumbprintHash = 'sha256' | 'sha384' | 'sha512';
const HASHES: Record<ThumbprintHash, HashName> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const REQUIRED: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
  oct: ['k', 'kty'],
};

/** The canonical JSON an RFC 7638 thumbprint hashes (no whitespace, members sorted). */
export function thumbprintInput(key: JWK | TesseraKey): string {
  const jwk = key instanceof TesseraKey ? key.imported.jwk : (checkJWK(key), key);
  const members = REQUIRED[jwk.kty] as readonly string[];
  // RFC 7638 §3.3: values are JSON strings; JSON.stringify gives the required escaping.
  return `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
}

function hashOf(hash: ThumbprintHash): HashName {
  const h = HASHES[hash];
  if (h === undefined) throw new InvalidArgumentError('thumbprint hash must be sha256, sha384 or sha512');
  return h;
}

/**
 * The RFC 7638 thumbprint of a key, base64url.
 * @example
 * const kid = await calculateThumbprint(publicJWK); // "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
 * @throws ERR_JWK_INVALID, ERR_INVALID_ARGUMENT
 */
export async function calculateThumbprint(key: JWK | TesseraKey, hash: ThumbprintHash = 'sha256'): Promise<string> {
  return encodeBase64URL(await platform.digest(hashOf(hash), encodeUTF8(thumbprintInput(key))));
}

/** Synchronous {@link calculateThumbprint} (Node only). */
export function calculateThumbprintSync(key: JWK | TesseraKey, hash: ThumbprintHash = 'sha256'): string {
  if (!platform.syncSupported) throw new SyncUnsupportedError('synchronous hashing needs the node:crypto backend');
  return encodeBase64URL(platform.digestSync(hashOf(hash), encodeUTF8(thumbprintInput(key))));
}

/**
 * The RFC 9278 thumbprint URI: `urn:ietf:params:oauth:jwk-thumbprint:sha-256:…`.
 */
export async function calculateThumbprintURI(key: JWK | TesseraKey, hash: ThumbprintHash = 'sha256'): Promise<string> {
  // RFC 9278 §3: the hash name is the IANA "Named Information Hash Algorithm" name (sha-256).
  return `urn:ietf:params:oauth:jwk-thumbprint:${hash.replace('sha', 'sha-')}:${await calculateThumbprint(key, hash)}`;
}
