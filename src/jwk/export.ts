/** Exporting keys to JWK and PEM. */
import { platform } from '#platform';
import { InvalidArgumentError, KeyPrivateRequiredError } from '../core/errors.js';
import type { TesseraKey } from '../jwa/key.js';
import type { JWK } from '../jwa/types.js';

export interface ExportOptions {
  /** Export only the public part (default: the key as it is, private members included). */
  readonly public?: boolean;
}

/**
 * Exports a key as a JWK, with its `kid`, `alg`, `use` and `key_ops`.
 * @example
 * const publicJWK = exportJWK(key, { public: true });
 * @throws ERR_INVALID_ARGUMENT when asking for the public part of a secret key
 */
export function exportJWK(key: TesseraKey, options: ExportOptions = {}): JWK {
  if (key.family === 'oct' && options.public) throw new InvalidArgumentError('a secret key has no public part');
  return options.public || key.kind === 'public' ? key.toPublicJWK() : key.toPrivateJWK();
}

function toPEM(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Exports an asymmetric key as PEM: SPKI for the public part, PKCS#8 for a private key.
 * @example
 * const pem = await exportPEM(key, { public: true }); // "-----BEGIN PUBLIC KEY-----…"
 * @throws ERR_INVALID_ARGUMENT for secret keys, ERR_KEY_PRIVATE_REQUIRED for PKCS#8 of a public key
 */
export async function exportPEM(key: TesseraKey, options: ExportOptions = {}): Promise<string> {
  if (key.family === 'oct') throw new InvalidArgumentError('a secret key has no PEM form');
  if (options.public || key.kind === 'public') return toPEM('PUBLIC KEY', await platform.exportDER(key.imported, 'spki'));
  if (key.kind !== 'private') throw new KeyPrivateRequiredError('no private key to export');
  return toPEM('PRIVATE KEY', await platform.exportDER(key.imported, 'pkcs8'));
}
