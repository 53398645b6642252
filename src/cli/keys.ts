/**
 * Loading keys for the command line: a JWK, a JWK Set or a PEM file; for verification also an
 * https:// JWKS URL. A key that fails to load is an input error (exit 2) whatever the command,
 * so it is reported here before any token is looked at.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importJWK,
  importPEM,
  isTesseraError,
  type JWK,
  type KeySet,
  type RemoteJWKSet,
  type TesseraKey,
} from '../index.js';
import { CliError, readFileOrFail } from './io.js';

/** One key file's contents: a single key, or a set. */
export type LoadedKey = { readonly kind: 'key'; readonly key: TesseraKey; readonly jwk?: JWK } | { readonly kind: 'set'; readonly set: KeySet; readonly jwks: { keys: JWK[] } };

/** Rewraps a library error met while loading a key as an exit-2 error naming the file. */
function keyError(path: string, err: unknown): never {
  if (isTesseraError(err)) throw new CliError(err.code, `key '${path}': ${err.message}`, 2);
  throw err;
}

/** Reads and imports a key file: PEM (SPKI, PKCS#8, certificate), a JWK, or a JWK Set. */
export async function loadKeyFile(path: string): Promise<LoadedKey> {
  const text = new TextDecoder().decode(readFileOrFail(path, 'key file')).trim();
  try {
    if (text.startsWith('-----BEGIN ')) return { kind: 'key', key: await importPEM(text) };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError('ERR_KEY_INVALID', `key '${path}' is neither a JWK, a JWK Set nor a PEM file`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new CliError('ERR_KEY_INVALID', `key '${path}' is not a JSON object (a JWK or a JWK Set)`);
    }
    if ('keys' in json) {
      // Private members are allowed: an HMAC or decryption set is private by nature.
      const set = createLocalJWKSet(json, { allowPrivate: true });
      return { kind: 'set', set, jwks: json as { keys: JWK[] } };
    }
    return { kind: 'key', key: await importJWK(json as JWK), jwk: json as JWK };
  } catch (err) {
    if (err instanceof CliError) throw err;
    return keyError(path, err);
  }
}

/** A single key (for signing, encrypting, thumbprints): a set is accepted when it holds one key. */
export async function loadSingleKey(path: string): Promise<TesseraKey> {
  const loaded = await loadKeyFile(path);
  if (loaded.kind === 'key') return loaded.key;
  const keys = loaded.jwks.keys;
  if (!Array.isArray(keys) || keys.length !== 1) {
    throw new CliError('ERR_USAGE', `key '${path}' is a JWK Set of ${Array.isArray(keys) ? keys.length : 0} keys: give a file with one key`);
  }
  try {
    return await importJWK(keys[0] as JWK);
  } catch (err) {
    return keyError(path, err);
  }
}

/** Whether a host name is a loopback address (localhost, 127.0.0.0/8, [::1]). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A key for verification: a file (key or set), or a JWKS URL fetched with createRemoteJWKSet. */
export async function loadVerifyKey(spec: string): Promise<TesseraKey | KeySet | RemoteJWKSet> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new CliError('ERR_USAGE', 'the key URL is not a valid URL');
    }
    // SECURITY: keys fetched over plain HTTP could be swapped by anyone on the path; loopback only.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new CliError('ERR_USAGE', 'a key URL must be https:// (plain http:// only for loopback addresses)');
    }
    try {
      return createRemoteJWKSet(url);
    } catch (err) {
      return keyError(url.origin, err);
    }
  }
  const loaded = await loadKeyFile(spec);
  return loaded.kind === 'key' ? loaded.key : loaded.set;
}

/** A key for decryption: a file holding a private key or a set of them. */
export async function loadDecryptKey(path: string): Promise<TesseraKey | KeySet> {
  const loaded = await loadKeyFile(path);
  return loaded.kind === 'key' ? loaded.key : loaded.set;
}
