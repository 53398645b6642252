/**
 * Encrypter and decrypter factories: the hot path. An encrypter imports its key, resolves `alg`
 * and `enc` and builds its header once (and encodes it once when the algorithm adds no
 * per-message parameter: `dir`, AES-KW, RSA-OAEP), so a call does only the per-token work.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { assertSync, limitsOf } from './content.js';
import { compactOf, decryptJWE, decryptJWESync, planCompact } from './compact.js';
import { encryptWithPlan, encryptWithPlanSync, type EncryptPlan } from './encrypt.js';
import { TesseraKey } from '../jwa/key.js';
import { isDeferredKey } from './keys.js';
import { RouteTable, open, openSync, routeOptions } from './route.js';
import type { DecryptKey, DecryptOptions, DecryptResult, EncryptOptions } from './types.js';

/** A prepared compact encrypter. */
export interface Encrypter {
  /** The `alg` every token of this encrypter uses. */
  readonly alg: string;
  /** The `enc` every token of this encrypter uses. */
  readonly enc: string;
  encrypt(plaintext: Uint8Array | string): Promise<string>;
  /** Node only. */
  encryptSync(plaintext: Uint8Array | string): string;
}

/** A prepared compact decrypter. */
export interface Decrypter {
  decrypt(token: string): Promise<DecryptResult>;
  /** Node only. */
  decryptSync(token: string): DecryptResult;
}

function build(plan: EncryptPlan): Encrypter {
  return Object.freeze({
    alg: (plan.recipients[0] as EncryptPlan['recipients'][number]).km.name,
    enc: plan.enc.name,
    async encrypt(plaintext: Uint8Array | string): Promise<string> {
      return compactOf(await encryptWithPlan(plan, plaintext));
    },
    encryptSync(plaintext: Uint8Array | string): string {
      assertSync();
      return compactOf(encryptWithPlanSync(plan, plaintext));
    },
  });
}

/**
 * Creates a compact encrypter: the key is imported, `alg` and `enc` resolved and the header
 * built once; every call still draws a fresh CEK and IV.
 * @example
 * const encrypter = await createEncrypter(recipientPublicJWK, { alg: 'RSA-OAEP-256', enc: 'A256GCM' });
 * const token = await encrypter.encrypt('{"sub":"ada"}');
 * @throws as encryptJWE
 */
export async function createEncrypter(key: KeyInput, options: EncryptOptions): Promise<Encrypter> {
  return build(planCompact(await importKey(key), options));
}

/**
 * Synchronous {@link createEncrypter} (Node only).
 * @example
 * const encrypter = createEncrypterSync(secret, { alg: 'dir', enc: 'A256GCM' });
 * const token = encrypter.encryptSync('hello');
 * @throws as encryptJWE, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function createEncrypterSync(key: KeyInput, options: EncryptOptions): Encrypter {
  return build(planCompact(importKeySync(key), options));
}

/**
 * Creates a compact decrypter: the key (unless a key set or a resolver) is imported once, the
 * options frozen.
 * Verifies: as {@link decryptJWE}. Does NOT verify: anything in the plaintext.
 * @example
 * const decrypter = await createDecrypter(privateJWK, { algorithms: ['ECDH-ES+A256KW'], encryptions: ['A256GCM'] });
 * const { plaintext } = await decrypter.decrypt(token);
 * @throws ERR_KEY_*, ERR_INVALID_ARGUMENT (the key, or bad limits); calls throw as decryptJWE
 */
export async function createDecrypter(key: DecryptKey, options: DecryptOptions = {}): Promise<Decrypter> {
  const resolved: DecryptKey = isDeferredKey(key) ? key : await importKey(key as KeyInput);
  return freezeDecrypter(resolved, options);
}

/**
 * Synchronous {@link createDecrypter} (Node only).
 * @example
 * const decrypter = createDecrypterSync(secret, { algorithms: ['dir'], encryptions: ['A256GCM'] });
 * const { plaintext } = decrypter.decryptSync(token);
 * @throws as createDecrypter, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function createDecrypterSync(key: DecryptKey, options: DecryptOptions = {}): Decrypter {
  const resolved: DecryptKey = isDeferredKey(key) ? key : importKeySync(key as KeyInput);
  return freezeDecrypter(resolved, options);
}

function freezeDecrypter(key: DecryptKey, options: DecryptOptions): Decrypter {
  limitsOf(options); // bad limits fail here, once, rather than on every token
  // SECURITY: a string would be spread into characters below (and matched by substring elsewhere).
  for (const name of ['algorithms', 'encryptions', 'crit'] as const) {
    if (options[name] !== undefined && !Array.isArray(options[name])) throw new InvalidArgumentError(`${name} must be an array`);
  }
  // SECURITY: copy the lists too, so a caller changing its array later cannot widen an allow-list.
  const opts: DecryptOptions = Object.freeze({
    ...options,
    ...(options.algorithms && { algorithms: Object.freeze([...options.algorithms]) }),
    ...(options.encryptions && { encryptions: Object.freeze([...options.encryptions]) }),
    ...(options.crit && { crit: Object.freeze([...options.crit]) }),
  });
  if (!(key instanceof TesseraKey)) {
    // A key set or a resolver: the key is found per token, by the general path.
    return Object.freeze({
      decrypt: (token: string) => decryptJWE(token, key, opts),
      decryptSync: (token: string) => decryptJWESync(token, key, opts),
    });
  }
  // One key: the algorithms are pinned and the key checked once per protected header (route.ts).
  const routes = new RouteTable(key, routeOptions(opts));
  return Object.freeze({
    decrypt(token: string): Promise<DecryptResult> {
      const prepared = routes.prepare(token);
      if (prepared === undefined) return decryptJWE(token, key, opts);
      return open(prepared.route, prepared.parts);
    },
    decryptSync(token: string): DecryptResult {
      assertSync();
      const prepared = routes.prepare(token);
      if (prepared === undefined) return decryptJWESync(token, key, opts);
      return openSync(prepared.route, prepared.parts);
    },
  });
}
