/**
 * A verifier's fixed work done once: for one imported key and one set of options, every allowed
 * `alg` is pinned, checked against the key (family, curve, size, `use`, `key_ops`) and resolved to
 * its platform scheme. A token then costs only what is per token: split, the (cached) protected
 * header, two strict base64url decodes and one primitive.
 *
 * The plan takes only the common case: one key, the compact form, base64url payload, no `crit`.
 * Anything else (a header without an allowed `alg`, `crit`, a malformed split) returns undefined
 * and the caller runs the general path, so every error keeps the code and message it has there.
 * The steps and their order are those of the general path (RFC 7515 §5.2): parse strictly, pin
 * `alg` to the allow-list, then verify.
 */
import { platform } from '#platform';
import { assertBase64URL, decodeBase64URL, decodeBase64URLTransient } from '../core/base64url.js';
import { frozenCopy, sameStrings } from '../core/lists.js';
import { timingSafeEqualText } from '../core/bytes.js';
import { JWSSignatureInvalidError } from '../core/errors.js';
import type { JWSAlgorithm } from '../jwa/jws-algorithm.js';
import type { TesseraKey } from '../jwa/key.js';
import { assertKeyForJWS, jwsAlgorithmsForKey, pinJWSAlgorithm } from '../jwa/registry.js';
import type { SignatureScheme } from '../jwa/types.js';
import { DEFAULT_MAX_HEADER_LENGTH, DEFAULT_MAX_TOKEN_LENGTH, protectedHeaderOf } from './header.js';
import type { JWSHeader, VerifiedJWSHeader, VerifyOptions, VerifyResult } from './types.js';

interface PlanEntry {
  readonly alg: JWSAlgorithm;
  readonly scheme: SignatureScheme;
  /** HMAC on node:crypto: the MAC as base64url text, compared with the segment as text. */
  readonly macText: ((scheme: SignatureScheme, key: TesseraKey['imported'], data: string) => string) | undefined;
}

/** The last protected header a plan saw: a stream of tokens from one issuer repeats it. */
interface LastHeader {
  readonly encoded: string;
  readonly header: Readonly<JWSHeader>;
}

/** What {@link planVerify} prepares. */
export interface VerifyPlan {
  /** Mutable: the plan's own memo of the last header (see {@link headerOf}). */
  last: LastHeader | undefined;
  readonly key: TesseraKey;
  /** Allowed `alg` names that fit the key; any other name goes to the general path. */
  readonly byAlg: ReadonlyMap<string, PlanEntry>;
  readonly maxTokenLength: number;
  readonly maxHeaderLength: number;
}

/**
 * Prepares a plan for one key and frozen options, or undefined when the options need the general
 * path (a detached payload). An allowed `alg` the key does not fit is left out of the plan, so a
 * token naming it reaches the general path and fails there with the key-binding code.
 */
export function planVerify(key: TesseraKey, options: VerifyOptions): VerifyPlan | undefined {
  if (options.payload !== undefined) return undefined;
  if (options.algorithms !== undefined && !Array.isArray(options.algorithms)) return undefined;
  return makePlan(key, options.algorithms, options.maxTokenLength, options.maxHeaderLength);
}

function makePlan(
  key: TesseraKey,
  algorithms: readonly string[] | undefined,
  maxTokenLength: number | undefined,
  maxHeaderLength: number | undefined,
): VerifyPlan {
  const allowed = algorithms ?? jwsAlgorithmsForKey(key);
  const byAlg = new Map<string, PlanEntry>();
  for (const name of allowed) {
    try {
      const alg = pinJWSAlgorithm(name, allowed);
      assertKeyForJWS(alg, key, 'verify');
      const scheme = alg.scheme(key);
      byAlg.set(alg.name, { alg, scheme, macText: scheme.kind === 'hmac' ? platform.macBase64URLSync : undefined });
    } catch {
      // Not plannable (`none`, unknown, or a key that does not fit): the general path decides.
    }
  }
  return {
    last: undefined,
    key,
    byAlg,
    maxTokenLength: maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH,
    maxHeaderLength: maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH,
  };
}

/**
 * The protected header of `token` (whose first '.' is at `first`): the plan's last header when the
 * token starts with the same text (a comparison, where the shared cache needs a slice and a hash),
 * else the shared header cache, which checks the length limit and parses strictly.
 */
function headerOf(plan: VerifyPlan, token: string, first: number): Readonly<JWSHeader> {
  const last = plan.last;
  if (last !== undefined && last.encoded.length === first && token.startsWith(last.encoded)) return last.header;
  const encoded = token.slice(0, first);
  const header = protectedHeaderOf(encoded, plan.maxHeaderLength);
  plan.last = { encoded, header };
  return header;
}

/** A planned verification's outcome: the payload as the caller's decoder made it. */
export interface PlannedResult<P> {
  readonly payload: P;
  readonly protectedHeader: VerifiedJWSHeader;
  readonly key: TesseraKey;
}

/**
 * Verifies a compact JWS with a plan, synchronously (node:crypto only). `payloadOf` decodes the
 * payload segment before the signature is checked, as the general path does (so a malformed
 * segment fails first); it must only decode, never interpret: nothing of the payload is trusted
 * before the signature verifies.
 * @returns the result, or undefined when the token needs the general path (which then gives the
 *   same result or the same error the plan would have)
 * @throws ERR_HEADER_*, ERR_BASE64URL_INVALID, ERR_JSON_*, ERR_JWS_SIGNATURE_INVALID: only errors
 *   the general path raises at the same step for the same token
 */
export function verifyWithPlanSync<P>(plan: VerifyPlan, token: unknown, payloadOf: (segment: string) => P): PlannedResult<P> | undefined {
  if (typeof token !== 'string' || token.length > plan.maxTokenLength) return undefined;
  const first = token.indexOf('.');
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (second === -1 || token.indexOf('.', second + 1) !== -1) return undefined;
  const header = headerOf(plan, token, first);
  // `crit` (and with it `b64: false`, which RFC 7797 §6 requires to be listed there) is rare:
  // the general path applies its rules.
  if (header.crit !== undefined) return undefined;
  const entry = typeof header.alg === 'string' ? plan.byAlg.get(header.alg) : undefined;
  if (entry === undefined) return undefined;
  const key = plan.key;
  const macText = entry.macText;
  if (macText !== undefined) {
    // The same checks, in the same order, as decoding the signature would make (so the same
    // errors); then the MAC is compared with the segment as canonical base64url text.
    const segment = token.slice(second + 1);
    assertBase64URL(segment, 'signature');
    const payload = payloadOf(token.slice(first + 1, second));
    if (!timingSafeEqualText(macText(entry.scheme, key.imported, token.slice(0, second)), segment)) {
      throw new JWSSignatureInvalidError('the signature does not verify');
    }
    return { payload, protectedHeader: header as VerifiedJWSHeader, key };
  }
  // Transient bytes: the one-shot verify below reads them before returning, and nothing else
  // decodes in between that could reuse the buffer (payloadOf decodes into its own bytes).
  const signature = decodeBase64URLTransient(token.slice(second + 1), 'signature');
  const payload = payloadOf(token.slice(first + 1, second));
  if (!entry.alg.acceptsSignature(signature, key) || !platform.verifySync(entry.scheme, key.imported, token.slice(0, second), signature)) {
    throw new JWSSignatureInvalidError('the signature does not verify');
  }
  return { payload, protectedHeader: header as VerifiedJWSHeader, key };
}

/** The JWS payload decoder: strict base64url to bytes. */
export function payloadBytesOf(segment: string): Uint8Array {
  return decodeBase64URL(segment, 'payload');
}

interface CachedPlan {
  readonly algorithms: readonly string[] | undefined;
  readonly maxTokenLength: number | undefined;
  readonly maxHeaderLength: number | undefined;
  readonly plan: VerifyPlan;
}

/** The last plan made for each key by the plain verify functions (keys are immutable). */
const plans = new WeakMap<TesseraKey, CachedPlan>();

/**
 * The plan for a key and the options of one plain `verifyJWS(Sync)` call, reused while the
 * options that shape it (allow-list, limits) are the same by value: callers often build the
 * options object per call. The allow-list is compared by content and kept as a copy, so a
 * caller changing its array later cannot widen a cached plan's allow-list.
 */
export function cachedPlanFor(key: TesseraKey, options: VerifyOptions): VerifyPlan | undefined {
  if (options.payload !== undefined) return undefined;
  // Not an array: the general path says why (ERR_INVALID_ARGUMENT).
  if (options.algorithms !== undefined && !Array.isArray(options.algorithms)) return undefined;
  const hit = plans.get(key);
  if (
    hit !== undefined &&
    hit.maxTokenLength === options.maxTokenLength &&
    hit.maxHeaderLength === options.maxHeaderLength &&
    sameStrings(hit.algorithms, options.algorithms)
  ) {
    return hit.plan;
  }
  const algorithms = frozenCopy(options.algorithms);
  const plan = makePlan(key, algorithms, options.maxTokenLength, options.maxHeaderLength);
  plans.set(key, { algorithms, maxTokenLength: options.maxTokenLength, maxHeaderLength: options.maxHeaderLength, plan });
  return plan;
}
