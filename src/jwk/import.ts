/**
 * Importing keys: JWK, PEM (SPKI, PKCS#8, X.509), raw secret bytes, and native key objects.
 *
 * SECURITY: strings are never sniffed for key material (THREATS.md §2): a PEM string goes to
 * `importPEM`, secret bytes to `importSecret`, and `importKey` refuses strings outright. Secret
 * bytes that look like a PEM, a JWK or an SSH key are refused as HMAC secrets.
 *
 * Imported keys are cached by identity (JWK objects, KeyObjects, CryptoKeys) and JWKs also by
 * content, so verifying with the same JWK on every call imports it once.
 */
import { platform } from '#platform';
import { decodeBase64URL, encodeBase64URL } from '../core/base64url.js';
import { decodeUTF8 } from '../core/bytes.js';
import {
  InvalidArgumentError,
  KeyEmptyError,
  KeyInvalidError,
  KeyTypeMismatchError,
  KeyUsageError,
  SyncUnsupportedError,
} from '../core/errors.js';
import { TesseraKey, type KeyBinding } from '../jwa/key.js';
import type { ImportedKey } from '../jwa/platform/types.js';
import type { Curve, DERKind, JWK, KeyFamily } from '../jwa/types.js';
import { CURVE_BITS, checkJWK } from './validate.js';

/** Anything tessera accepts as a key. Strings are not among them. */
export type KeyInput = TesseraKey | JWK | Uint8Array | CryptoKey | { readonly type: string; readonly asymmetricKeyType?: string };

/** Options for the import functions: bind the key to one algorithm, a kid, a use. */
export interface ImportOptions {
  /** Bind the key to this algorithm only. Must agree with the JWK's own `alg`. */
  readonly alg?: string;
  readonly kid?: string;
  readonly use?: 'sig' | 'enc';
}

const identityCache = new WeakMap<object, TesseraKey>();
const CONTENT_CACHE_MAX = 512;
const contentCache = new Map<string, ContentEntry[]>();

function bindingFrom(jwk: JWK, options: ImportOptions | undefined): KeyBinding {
  if (options?.alg !== undefined && jwk.alg !== undefined && options.alg !== jwk.alg) {
    throw new KeyUsageError('the requested alg disagrees with the JWK "alg"');
  }
  return {
    alg: options?.alg ?? jwk.alg,
    kid: options?.kid ?? jwk.kid,
    use: options?.use ?? jwk.use,
    key_ops: jwk.key_ops,
  };
}

function facts(imported: ImportedKey): { family: KeyFamily; crv: Curve | undefined; bits: number } {
  const checked = imported.jwk.k !== undefined || imported.jwk.n !== undefined || imported.jwk.x !== undefined
    ? checkJWK(imported.jwk)
    : undefined;
  if (checked) return { family: checked.family, crv: checked.crv, bits: imported.modulusBits ?? checked.bits };
  // A non-extractable native key: the platform told us what it could.
  const family = imported.jwk.kty as KeyFamily;
  const crv = imported.jwk.crv as Curve | undefined;
  return { family, crv, bits: imported.modulusBits ?? (crv ? CURVE_BITS[crv] : 0) };
}

function makeKey(imported: ImportedKey, options: ImportOptions | undefined): TesseraKey {
  const f = facts(imported);
  return new TesseraKey(imported, f.family, f.crv, f.bits, bindingFrom(imported.jwk, options));
}

/**
 * The content cache: buckets keyed by the tail of the key material, each holding frozen snapshots
 * of JWKs that passed validation. A hit needs every member of the new object to equal the
 * snapshot's (and no more members), so it can skip validation: it *is* a validated JWK.
 */
interface ContentEntry {
  readonly snapshot: JWK;
  readonly size: number;
  readonly key: TesseraKey;
}
let contentEntries = 0;

function bucketOf(jwk: JWK): string | undefined {
  const material = jwk.k ?? jwk.x ?? jwk.n;
  if (typeof material !== 'string') return undefined;
  return material.length > 48 ? material.slice(-48) : material;
}

function sameStrings(v: unknown, w: unknown): boolean {
  if (!Array.isArray(v) || !Array.isArray(w) || v.length !== w.length) return false;
  for (let i = 0; i < v.length; i++) if (v[i] !== w[i] || typeof v[i] !== 'string') return false;
  return true;
}

function sameJWK(jwk: JWK, entry: ContentEntry): boolean {
  const snapshot = entry.snapshot;
  let n = 0;
  for (const m of Object.keys(jwk)) {
    n++;
    const v = jwk[m];
    const w = snapshot[m];
    if (v !== w && !sameStrings(v, w)) return false;
  }
  return n === entry.size;
}

function snapshotOf(jwk: JWK): JWK {
  const copy: JWK = { ...jwk };
  for (const m of Object.keys(copy)) if (Array.isArray(copy[m])) copy[m] = Object.freeze([...(copy[m] as unknown[])]);
  return Object.freeze(copy);
}

function lookupContent(jwk: JWK): TesseraKey | undefined {
  const bucket = bucketOf(jwk);
  const entries = bucket === undefined ? undefined : contentCache.get(bucket);
  if (entries !== undefined) for (const e of entries) if (sameJWK(jwk, e)) return e.key;
  return undefined;
}

function remember(jwk: JWK, key: TesseraKey): void {
  const bucket = bucketOf(jwk);
  if (bucket === undefined) return;
  if (contentEntries >= CONTENT_CACHE_MAX) {
    // Drop the oldest bucket (Map keeps insertion order): a simple bound, no LRU bookkeeping.
    const oldest = contentCache.keys().next();
    if (!oldest.done) {
      contentEntries -= contentCache.get(oldest.value)?.length ?? 0;
      contentCache.delete(oldest.value);
    }
  }
  const snapshot = snapshotOf(jwk);
  const entry: ContentEntry = { snapshot, size: Object.keys(snapshot).length, key };
  const list = contentCache.get(bucket);
  if (list === undefined) contentCache.set(bucket, [entry]);
  else list.push(entry);
  contentEntries++;
}

function cachedJWK(jwk: JWK, options: ImportOptions | undefined): { key?: TesseraKey; cacheable?: boolean } {
  if (jwk === undefined || jwk === null || (jwk as unknown) === '') throw new KeyEmptyError('no JWK was given');
  // Not an object: no cache lookup; checkJWK reports it.
  if (options !== undefined || typeof jwk !== 'object') return {};
  const byIdentity = identityCache.get(jwk);
  if (byIdentity !== undefined) return { key: byIdentity };
  const byContent = lookupContent(jwk);
  if (byContent !== undefined) return { key: byContent };
  return { cacheable: true };
}

function storeJWK(jwk: JWK, cacheable: boolean | undefined, key: TesseraKey): void {
  if (!cacheable) return;
  identityCache.set(jwk, key);
  remember(jwk, key);
}

/**
 * Imports a JWK.
 * @example
 * const key = await importJWK({ kty: 'EC', crv: 'P-256', x: '…', y: '…' });
 * @throws ERR_JWK_INVALID, ERR_KEY_EMPTY, ERR_KEY_TOO_SHORT, ERR_KEY_INVALID, ERR_KEY_USAGE
 */
export async function importJWK(jwk: JWK, options?: ImportOptions): Promise<TesseraKey> {
  const hit = cachedJWK(jwk, options);
  if (hit.key) return hit.key;
  checkJWK(jwk);
  const key = makeKey(await platform.importJWK(jwk), options);
  storeJWK(jwk, hit.cacheable, key);
  return key;
}

/**
 * Synchronous {@link importJWK} (Node only).
 * @throws as importJWK, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function importJWKSync(jwk: JWK, options?: ImportOptions): TesseraKey {
  // First, so that the answer on WebCrypto never depends on what the cache holds.
  assertSync();
  const hit = cachedJWK(jwk, options);
  if (hit.key) return hit.key;
  checkJWK(jwk);
  const key = makeKey(platform.importJWKSync(jwk), options);
  storeJWK(jwk, hit.cacheable, key);
  return key;
}

const PEM_RE = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]*?)\r?\n?-----END \1-----\r?\n?$/;
const PEM_KINDS: Record<string, DERKind> = { 'PUBLIC KEY': 'spki', 'PRIVATE KEY': 'pkcs8', CERTIFICATE: 'x509' };

function parsePEM(pem: string): { kind: DERKind; der: Uint8Array } {
  if (typeof pem !== 'string') throw new InvalidArgumentError('a PEM must be a string');
  const m = PEM_RE.exec(pem.trim() + '\n');
  if (!m) throw new KeyInvalidError('not a PEM-encoded key or certificate');
  const label = m[1] as string;
  const kind = PEM_KINDS[label];
  if (kind === undefined) {
    throw new KeyInvalidError(
      `PEM "${label}" is not supported: use SPKI ("PUBLIC KEY"), PKCS#8 ("PRIVATE KEY") or "CERTIFICATE" (convert with openssl pkcs8 -topk8 -nocrypt)`,
    );
  }
  const body = (m[2] as string).replace(/[\r\n]/g, '');
  let der: Uint8Array;
  try {
    der = decodeBase64(body);
  } catch {
    throw new KeyInvalidError('the PEM body is not valid base64');
  }
  if (der.length === 0) throw new KeyEmptyError('the PEM body is empty');
  return { kind, der };
}

function decodeBase64(body: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) throw new Error('bad base64');
  return decodeBase64URL(body.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
}

/**
 * Imports a PEM: SPKI public key, PKCS#8 private key, or an X.509 certificate's public key.
 * @example
 * const key = await importPEM(fs.readFileSync('public.pem', 'utf8'), { alg: 'RS256' });
 * @throws ERR_KEY_INVALID, ERR_KEY_EMPTY, ERR_KEY_TOO_SHORT, ERR_KEY_USAGE
 */
export async function importPEM(pem: string, options?: ImportOptions): Promise<TesseraKey> {
  const { kind, der } = parsePEM(pem);
  const imported = await platform.importDER(kind, der);
  return makeKey(imported, options);
}

/**
 * Synchronous {@link importPEM} (Node only).
 */
export function importPEMSync(pem: string, options?: ImportOptions): TesseraKey {
  const { kind, der } = parsePEM(pem);
  assertSync();
  return makeKey(platform.importDERSync(kind, der), options);
}

/**
 * SECURITY: refuses bytes that are really an asymmetric key in text form, so that a public key
 * can never become an HMAC secret (THREATS.md §2: fast-jwt CVE-2023-48223 and its sequels).
 */
function assertPlainSecret(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new KeyEmptyError('the secret is empty');
  if (bytes.length > 64 * 1024) throw new KeyInvalidError('the secret is implausibly large');
  let text: string;
  try {
    text = decodeUTF8(bytes.subarray(0, Math.min(bytes.length, 4096)));
  } catch {
    return; // not text: random bytes, fine
  }
  const t = text.replace(/^[\s\0-\x1f]+/, '');
  if (
    t.includes('-----BEGIN') ||
    /^ssh-(rsa|ed25519|dss)|^ecdsa-sha2-/.test(t) ||
    (t.startsWith('{') && /"kty"\s*:/.test(t))
  ) {
    throw new KeyTypeMismatchError('asymmetric key material cannot be used as a secret');
  }
}

/**
 * Imports raw secret bytes (for HMAC, AES or `dir`).
 * @example
 * const key = await importSecret(crypto.getRandomValues(new Uint8Array(32)), { alg: 'HS256' });
 * @throws ERR_KEY_EMPTY, ERR_KEY_TYPE_MISMATCH
 */
export async function importSecret(bytes: Uint8Array, options?: ImportOptions): Promise<TesseraKey> {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('a secret must be a Uint8Array');
  assertPlainSecret(bytes);
  const jwk: JWK = { kty: 'oct', k: encodeBase64URL(bytes) };
  return makeKey(await platform.importJWK(jwk), options);
}

/** Synchronous {@link importSecret} (Node only). */
export function importSecretSync(bytes: Uint8Array, options?: ImportOptions): TesseraKey {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('a secret must be a Uint8Array');
  assertPlainSecret(bytes);
  assertSync();
  const jwk: JWK = { kty: 'oct', k: encodeBase64URL(bytes) };
  return makeKey(platform.importJWKSync(jwk), options);
}

function assertSync(): void {
  if (!platform.syncSupported) throw new SyncUnsupportedError('synchronous key import needs the node:crypto backend');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function rejectNonKey(input: unknown): never {
  if (input === undefined || input === null || input === '') throw new KeyEmptyError('no key was given');
  if (typeof input === 'string') {
    throw new KeyInvalidError('a string is not a key: use importPEM() for PEM or importSecret() for secret bytes');
  }
  throw new KeyInvalidError('unsupported key input');
}

/**
 * Turns any accepted key input into a {@link TesseraKey}: a TesseraKey (returned as is), a JWK
 * object, secret bytes, a Node KeyObject or a WebCrypto CryptoKey.
 * @throws ERR_KEY_EMPTY, ERR_KEY_INVALID, and the codes of the specific importers
 */
export async function importKey(input: KeyInput, options?: ImportOptions): Promise<TesseraKey> {
  if (input instanceof TesseraKey) return input;
  if (input instanceof Uint8Array) return importSecret(input, options);
  if (isPlainObject(input)) return importJWK(input as JWK, options);
  if (typeof input === 'object' && input !== null && options === undefined) {
    const cached = identityCache.get(input);
    if (cached) return cached;
  }
  const imported = await platform.importNative(input);
  if (imported === undefined) rejectNonKey(input);
  const key = makeKey(imported, options);
  if (options === undefined) identityCache.set(input as object, key);
  return key;
}

/** Synchronous {@link importKey} (Node only). */
export function importKeySync(input: KeyInput, options?: ImportOptions): TesseraKey {
  // First, so that the answer on WebCrypto never depends on what the cache holds.
  assertSync();
  if (input instanceof TesseraKey) return input;
  if (input instanceof Uint8Array) return importSecretSync(input, options);
  if (isPlainObject(input)) return importJWKSync(input as JWK, options);
  if (typeof input === 'object' && input !== null && options === undefined) {
    const cached = identityCache.get(input);
    if (cached) return cached;
  }
  const imported = platform.importNativeSync(input);
  if (imported === undefined) rejectNonKey(input);
  const key = makeKey(imported, options);
  if (options === undefined) identityCache.set(input as object, key);
  return key;
}
