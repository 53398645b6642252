/**
 * Encryption steps shared by every serialization (RFC 7516 §5.1): a plan made once (algorithms
 * resolved, keys checked, headers built and checked), then per message: CEK, key management for
 * each recipient, IV, compression, content encryption.
 */
import { platform } from '#platform';
import { encodeBase64URL } from '../core/base64url.js';
import { AlgRequiredError, CritInvalidError, InvalidArgumentError, JWEInvalidError } from '../core/errors.js';
import type { ContentEncryption, KeyManagement, KeyManagementParameters, WrapInput, WrapResult } from '../jwa/jwe-algorithm.js';
import { assertKeyForJWE, resolveContentEncryption, resolveKeyManagement } from '../jwa/jwe-registry.js';
import type { TesseraKey } from '../jwa/key.js';
import { fixedRandomness, type FixedRandomness } from './_seam.js';
import { compress, compressSync, contentAAD, plaintextBytes } from './content.js';
import { isSingleRecipient } from './decrypt.js';
import {
  KEY_MANAGEMENT_MEMBERS,
  ZIP_DEFLATE,
  checkDisjoint,
  checkProtectedHeader,
  checkUnprotectedHeader,
} from './header.js';
import type { JWEHeader } from './types.js';

/** SECURITY: a bound on the work one JWE can cause (each recipient may try up to 8 keys). */
export const MAX_RECIPIENTS = 16;

/** Where a recipient's key-management parameters (`epk`, `p2s`, …) go. */
export type ParameterPlace = 'protected' | 'header';

/** One recipient of a plan. */
export interface RecipientPlan {
  readonly key: TesseraKey;
  readonly km: KeyManagement;
  /** Its own header, without the key-management parameters (undefined when empty). */
  readonly header: JWEHeader | undefined;
  readonly apu: Uint8Array | undefined;
  readonly apv: Uint8Array | undefined;
  readonly p2c: number | undefined;
}

/** Everything an encryption needs that does not change per message. */
export interface EncryptPlan {
  readonly enc: ContentEncryption;
  /** The protected header, without per-message parameters. */
  readonly protectedHeader: JWEHeader;
  /** Its encoding, computed once: final unless per-message parameters go into it. */
  readonly encodedProtected: string;
  /** Its JSON (undefined when it is empty), to which per-message parameters are appended. */
  readonly protectedJSON?: string | undefined;
  readonly sharedUnprotectedHeader: JWEHeader | undefined;
  readonly recipients: readonly RecipientPlan[];
  readonly parameters: ParameterPlace;
  readonly zip: boolean;
  /** The JSON `aad` member, already encoded. */
  readonly aad: string | undefined;
}

/** What an encryption produces, before a serialization lays it out. */
export interface Encrypted {
  readonly encodedProtected: string;
  readonly sharedUnprotectedHeader: JWEHeader | undefined;
  readonly recipients: ReadonlyArray<{ readonly header: JWEHeader | undefined; readonly encryptedKey: Uint8Array }>;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
  readonly aad: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Planning

/** A header given by the caller, as a plain JSON copy (what is checked is what is sent). */
export function copyHeader(given: unknown, name: string): JWEHeader | undefined {
  if (given === undefined) return undefined;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new InvalidArgumentError(`${name} must be an object`);
  let header: JWEHeader;
  try {
    header = JSON.parse(JSON.stringify(given)) as JWEHeader;
  } catch {
    throw new InvalidArgumentError(`${name} must be plain JSON`);
  }
  for (const m of KEY_MANAGEMENT_MEMBERS) {
    // The algorithm sets these for each recipient; a caller's value would be overwritten or stale.
    if (header[m] !== undefined) throw new InvalidArgumentError(`${name} must not set "${m}": the algorithm does`);
  }
  return header;
}

/**
 * The one value of a member given in several places (options and headers), which must agree.
 * @throws ERR_INVALID_ARGUMENT
 */
export function agreed(name: string, ...values: unknown[]): unknown {
  let found: unknown;
  for (const v of values) {
    if (v === undefined) continue;
    if (found !== undefined && v !== found) throw new InvalidArgumentError(`"${name}" is given twice with different values`);
    found = v;
  }
  return found;
}

/** Resolves a recipient's `alg` and checks its key for it. */
export function planRecipient(
  key: TesseraKey,
  alg: unknown,
  header: JWEHeader | undefined,
  extra: { apu?: Uint8Array | undefined; apv?: Uint8Array | undefined; p2c?: number | undefined },
): RecipientPlan {
  const name = alg ?? key.alg;
  if (name === undefined) throw new AlgRequiredError('give alg, or use a key bound to one');
  const km = resolveKeyManagement(name);
  assertKeyForJWE(km, key, 'encrypt');
  for (const [n, v] of [['apu', extra.apu], ['apv', extra.apv]] as const) {
    if (v !== undefined && !(v instanceof Uint8Array)) throw new InvalidArgumentError(`${n} must be a Uint8Array`);
  }
  return {
    key,
    km,
    header: header !== undefined && Object.keys(header).length > 0 ? header : undefined,
    apu: extra.apu,
    apv: extra.apv,
    p2c: extra.p2c,
  };
}

/** Resolves `enc`; a missing one is a malformed JWE (RFC 7516 §4.1.2: REQUIRED). */
export function planEnc(enc: unknown): ContentEncryption {
  if (enc === undefined) throw new JWEInvalidError('"enc" is required');
  return resolveContentEncryption(enc);
}

/** `zip` from the options or the protected header: only "DEF" (RFC 7516 §4.1.3). */
export function planZip(...values: unknown[]): boolean {
  const zip = agreed('zip', ...values);
  if (zip === undefined) return false;
  if (zip !== ZIP_DEFLATE) throw new JWEInvalidError('the only supported "zip" is "DEF"');
  return true;
}

/** Checks a finished plan's headers on the sender's side, as a recipient will. */
function checkPlan(plan: Omit<EncryptPlan, 'encodedProtected'>): void {
  checkProtectedHeader(plan.protectedHeader);
  if (plan.sharedUnprotectedHeader !== undefined) checkUnprotectedHeader(plan.sharedUnprotectedHeader, 'shared unprotected header');
  const many = plan.recipients.length > 1;
  if (plan.recipients.length === 0) throw new InvalidArgumentError('give at least one recipient');
  if (plan.recipients.length > MAX_RECIPIENTS) throw new JWEInvalidError(`a JWE may have at most ${MAX_RECIPIENTS} recipients`);
  if (many && plan.parameters === 'protected') {
    throw new InvalidArgumentError('several recipients need their key-management parameters in their own headers');
  }
  for (const r of plan.recipients) {
    if (r.header !== undefined) checkUnprotectedHeader(r.header, 'recipient header');
    checkDisjoint(plan.protectedHeader, plan.sharedUnprotectedHeader, r.header);
    // RFC 7516 §7.2.1: "dir" and "ECDH-ES" determine the CEK, which one JWE shares among recipients.
    if (many && isSingleRecipient(r.km)) throw new JWEInvalidError('"dir" and "ECDH-ES" allow only one recipient');
    const jose = { ...plan.protectedHeader, ...plan.sharedUnprotectedHeader, ...r.header };
    for (const name of (jose.crit as string[] | undefined) ?? []) {
      if (jose[name] === undefined) throw new CritInvalidError('"crit" lists a parameter the header lacks');
    }
  }
}

/**
 * Finishes a plan: checks it and encodes the protected header once (the final encoding unless
 * per-message parameters go into it).
 * @throws ERR_HEADER_INVALID, ERR_JWE_INVALID, ERR_CRIT_INVALID, ERR_INVALID_ARGUMENT
 */
export function finishPlan(plan: Omit<EncryptPlan, 'encodedProtected'>): EncryptPlan {
  checkPlan(plan);
  const json = Object.keys(plan.protectedHeader).length === 0 ? undefined : JSON.stringify(plan.protectedHeader);
  return Object.freeze({
    ...plan,
    encodedProtected: json === undefined ? '' : encodeBase64URL(json),
    protectedJSON: json,
  });
}

/** Builds a header whose first members are `first` (when set), then the caller's, in their order. */
export function orderedHeader(first: Record<string, unknown>, given: JWEHeader | undefined): JWEHeader {
  const entries = Object.entries(first).filter(([, v]) => v !== undefined);
  // Object.fromEntries defines own members (an assignment to "__proto__" would not); a later
  // entry keeps the position of an earlier one of the same name.
  return Object.fromEntries(given === undefined ? entries : [...entries, ...Object.entries(given)]) as JWEHeader;
}

// ---------------------------------------------------------------------------------------------
// Per message

function encodeHeader(header: JWEHeader, seam: FixedRandomness | undefined): string {
  if (Object.keys(header).length === 0) return '';
  const order = seam?.headerOrder;
  if (order === undefined) return encodeBase64URL(JSON.stringify(header));
  const listed = order.filter((k) => Object.prototype.hasOwnProperty.call(header, k));
  const rest = Object.keys(header).filter((k) => !listed.includes(k));
  return encodeBase64URL(JSON.stringify(Object.fromEntries([...listed, ...rest].map((k) => [k, header[k]]))));
}

/**
 * The encoded protected header with a message's key-management parameters appended: the JSON the
 * plan's header gives, with the parameters as its last members, which is what JSON.stringify of
 * `{ ...header, ...parameters }` writes (no parameter name is in the plan's header: copyHeader
 * refuses them), without copying the header per message.
 */
function encodeWithParameters(plan: EncryptPlan, parameters: KeyManagementParameters): string {
  const json = plan.protectedJSON;
  if (json === undefined || json.length < 3) return encodeHeader(withParameters(plan.protectedHeader, parameters) as JWEHeader, undefined);
  let out = json.slice(0, -1);
  for (const name of Object.keys(parameters)) {
    const value = parameters[name as keyof KeyManagementParameters];
    if (value !== undefined) out += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
  }
  return encodeBase64URL(`${out}}`);
}

function withParameters(header: JWEHeader | undefined, parameters: KeyManagementParameters): JWEHeader | undefined {
  if (Object.keys(parameters).length === 0) return header;
  return { ...header, ...parameters };
}

/**
 * The CEK every recipient wraps (RFC 7516 §5.1 step 2), random unless the seam fixes it; none for
 * `dir` and `ECDH-ES`, which determine it (and have one recipient only).
 */
function sharedCEK(plan: EncryptPlan, seam: FixedRandomness | undefined): Uint8Array | undefined {
  if (isSingleRecipient((plan.recipients[0] as RecipientPlan).km)) return undefined;
  return seam?.cek ?? platform.randomBytes(plan.enc.cekLength);
}

function wrapInput(r: RecipientPlan, cek: Uint8Array | undefined, seam: FixedRandomness | undefined): WrapInput {
  return { cek, apu: r.apu, apv: r.apv, p2c: r.p2c, ephemeralKey: seam?.ephemeralKey, p2s: seam?.p2s, kwIV: seam?.kwIV };
}

interface Headers {
  readonly encodedProtected: string;
  readonly recipients: Encrypted['recipients'];
}

/** Lays out the wrap results: parameters into the protected header or each recipient's own. */
function headersOf(plan: EncryptPlan, wraps: readonly WrapResult[], seam: FixedRandomness | undefined): Headers {
  if (plan.parameters === 'protected') {
    const w = wraps[0] as WrapResult;
    const r = plan.recipients[0] as RecipientPlan;
    const encodedProtected =
      seam !== undefined
        ? encodeHeader(withParameters(plan.protectedHeader, w.parameters) as JWEHeader, seam)
        : Object.keys(w.parameters).length === 0
          ? plan.encodedProtected
          : encodeWithParameters(plan, w.parameters);
    return { encodedProtected, recipients: [{ header: r.header, encryptedKey: w.encryptedKey }] };
  }
  return {
    encodedProtected: seam === undefined ? plan.encodedProtected : encodeHeader(plan.protectedHeader, seam),
    recipients: wraps.map((w, i) => ({
      header: withParameters((plan.recipients[i] as RecipientPlan).header, w.parameters),
      encryptedKey: w.encryptedKey,
    })),
  };
}

function contentIV(plan: EncryptPlan, seam: FixedRandomness | undefined): Uint8Array {
  return seam?.iv ?? platform.randomBytes(plan.enc.ivLength);
}

function encrypted(plan: EncryptPlan, headers: Headers, iv: Uint8Array, content: { ciphertext: Uint8Array; tag: Uint8Array }): Encrypted {
  return {
    encodedProtected: headers.encodedProtected,
    sharedUnprotectedHeader: plan.sharedUnprotectedHeader,
    recipients: headers.recipients,
    iv,
    ciphertext: content.ciphertext,
    tag: content.tag,
    aad: plan.aad,
  };
}

/**
 * Encrypts one message with a plan (RFC 7516 §5.1 steps 1–19).
 * @throws ERR_KEY_*, ERR_PBES2_COUNT, ERR_PLATFORM_UNSUPPORTED, ERR_INVALID_ARGUMENT
 */
export async function encryptWithPlan(plan: EncryptPlan, plaintext: Uint8Array | string): Promise<Encrypted> {
  const seam = fixedRandomness();
  const bytes = plaintextBytes(plaintext);
  const shared = sharedCEK(plan, seam);
  const wraps: WrapResult[] = [];
  for (const r of plan.recipients) wraps.push(await r.km.wrap(r.key, plan.enc, wrapInput(r, shared, seam)));
  const cek = (wraps[0] as WrapResult).cek;
  const headers = headersOf(plan, wraps, seam);
  const iv = contentIV(plan, seam);
  const data = await compress(bytes, plan.zip);
  const content = await plan.enc.encrypt(cek, iv, data, contentAAD(headers.encodedProtected, plan.aad));
  return encrypted(plan, headers, iv, content);
}

/** Synchronous {@link encryptWithPlan} (Node only). */
export function encryptWithPlanSync(plan: EncryptPlan, plaintext: Uint8Array | string): Encrypted {
  const seam = fixedRandomness();
  const bytes = plaintextBytes(plaintext);
  const shared = sharedCEK(plan, seam);
  const wraps = plan.recipients.map((r) => r.km.wrapSync(r.key, plan.enc, wrapInput(r, shared, seam)));
  const cek = (wraps[0] as WrapResult).cek;
  const headers = headersOf(plan, wraps, seam);
  const iv = contentIV(plan, seam);
  const data = compressSync(bytes, plan.zip);
  const content = plan.enc.encryptSync(cek, iv, data, contentAAD(headers.encodedProtected, plan.aad));
  return encrypted(plan, headers, iv, content);
}
