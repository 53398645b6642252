/**
 * Signer and verifier factories: the hot path. Each imports its key and encodes its header once,
 * so a call does only the per-token work (encode payload, one primitive, encode signature).
 */
import { platform } from '#platform';
import { InvalidArgumentError, SyncUnsupportedError } from '../core/errors.js';
import { TesseraKey } from '../jwa/key.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { RemoteJWKSet } from '../jwk/remote.js';
import { verifyJWS, verifyJWSSync, compactParts } from './compact.js';
import { prepareHeader, signatureText, signatureTextSync, type PreparedHeader } from './signing-input.js';
import type { SignOptions, VerifyKey, VerifyOptions, VerifyResult } from './types.js';
import { payloadBytesOf, planVerify, verifyWithPlanSync, type VerifyPlan } from './verify-plan.js';

/** A prepared compact signer. */
export interface Signer {
  /** The encoded protected header every token of this signer carries. */
  readonly protectedHeader: string;
  sign(payload: Uint8Array | string): Promise<string>;
  /** Node only. */
  signSync(payload: Uint8Array | string): string;
}

/** A prepared compact verifier. */
export interface Verifier {
  verify(token: string): Promise<VerifyResult>;
  /** Node only. */
  verifySync(token: string): VerifyResult;
}

function build(key: TesseraKey, prepared: PreparedHeader, detached: boolean): Signer {
  const scheme = prepared.alg.scheme(key);
  const handle = key.imported;
  return Object.freeze({
    protectedHeader: prepared.encoded,
    async sign(payload: Uint8Array | string): Promise<string> {
      const { input, head } = compactParts(prepared, payload, detached);
      return `${head}.${await signatureText(scheme, handle, input)}`;
    },
    signSync(payload: Uint8Array | string): string {
      if (!platform.syncSupported) throw new SyncUnsupportedError('synchronous signing needs node:crypto');
      const { input, head } = compactParts(prepared, payload, detached);
      return `${head}.${signatureTextSync(scheme, handle, input)}`;
    },
  });
}

/**
 * Creates a compact signer: the key is imported and the header encoded once.
 * @example
 * const signer = await createSigner(privateJWK, { alg: 'ES256', protectedHeader: { typ: 'JWT' } });
 * const token = signer.signSync('{"sub":"ada"}');
 * @throws as signJWS
 */
export async function createSigner(key: KeyInput, options: SignOptions = {}): Promise<Signer> {
  const k = await importKey(key);
  return build(k, prepareHeader(k, options), options.detached === true);
}

/** Synchronous {@link createSigner} (Node only). */
export function createSignerSync(key: KeyInput, options: SignOptions = {}): Signer {
  const k = importKeySync(key);
  return build(k, prepareHeader(k, options), options.detached === true);
}

/**
 * Creates a compact verifier: the key (or key set) is imported once, the options frozen.
 * Verifies: structure, strict encoding, `alg` against the allow-list, `crit`, the signature.
 * Does NOT verify: anything in the payload (see the JWT layer for claims).
 * @example
 * const verifier = await createVerifier(publicJWK, { algorithms: ['ES256'] });
 * const { payload } = verifier.verifySync(token);
 */
export async function createVerifier(key: VerifyKey, options: VerifyOptions = {}): Promise<Verifier> {
  const resolved: VerifyKey = typeof key === 'function' || isSetLike(key) ? key : await importKey(key as KeyInput);
  return freezeVerifier(resolved, options);
}

/** Synchronous {@link createVerifier} (Node only). */
export function createVerifierSync(key: VerifyKey, options: VerifyOptions = {}): Verifier {
  const resolved: VerifyKey = typeof key === 'function' || isSetLike(key) ? key : importKeySync(key as KeyInput);
  return freezeVerifier(resolved, options);
}

function isSetLike(key: VerifyKey): boolean {
  if (key instanceof RemoteJWKSet) return true; // fetched per call, never imported up front
  return typeof key === 'object' && key !== null && 'entries' in key && 'select' in key;
}

function freezeVerifier(key: VerifyKey, options: VerifyOptions): Verifier {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  if (options.algorithms !== undefined && !Array.isArray(options.algorithms)) {
    throw new InvalidArgumentError('algorithms must be an array of algorithm names');
  }
  if (options.crit !== undefined && !Array.isArray(options.crit)) throw new InvalidArgumentError('crit must be an array of header names');
  // SECURITY: copy the lists too, so a caller changing its array later cannot widen the allow-list.
  const opts: VerifyOptions = Object.freeze({
    ...options,
    ...(options.algorithms && { algorithms: Object.freeze([...options.algorithms]) }),
    ...(options.crit && { crit: Object.freeze([...options.crit]) }),
  });
  // One imported key on node:crypto: the per-alg work is done here, once (verify-plan.ts).
  const plan = key instanceof TesseraKey && platform.syncSupported ? planVerify(key, opts) : undefined;
  if (plan === undefined) {
    return Object.freeze({
      verify: (token: string) => verifyJWS(token, key, opts),
      verifySync: (token: string) => verifyJWSSync(token, key, opts),
    });
  }
  // Every verify is cheap enough to run inline (src/jwa/platform/node.ts), so the async form
  // runs the same synchronous plan; `async` turns its throws into rejections.
  const verifier: Verifier = Object.freeze({
    verify: async (token: string) => verifyWithPlanSync(plan, token, payloadBytesOf) ?? verifyJWS(token, key, opts),
    verifySync: (token: string) => verifyWithPlanSync(plan, token, payloadBytesOf) ?? verifyJWSSync(token, key, opts),
  });
  plans.set(verifier, plan);
  return verifier;
}

const plans = new WeakMap<Verifier, VerifyPlan>();

/**
 * The plan behind a verifier made by this module, for layers above that verify the same way but
 * decode the payload their own way (the JWT verifier parses claims from text).
 * @internal
 */
export function planOfVerifier(verifier: Verifier): VerifyPlan | undefined {
  return plans.get(verifier);
}
