/**
 * What the two JWE JSON Serializations (RFC 7516 §7.2) share: types, strict parsing of the JSON
 * object, of the members every recipient shares and of one recipient, and the output layouts.
 */
import { decodeBase64URL, encodeBase64URL } from '../core/base64url.js';
import { JWEInvalidError, TokenTooLargeError } from '../core/errors.js';
import { isJSONObject, parseJSONObjectText, type JSONObject } from '../core/json.js';
import type { TesseraKey } from '../jwa/key.js';
import type { KeyInput } from '../jwk/import.js';
import { contentAAD, plaintextBytes } from './content.js';
import type { ParsedJWE, ParsedRecipient } from './decrypt.js';
import {
  agreed,
  copyHeader,
  finishPlan,
  orderedHeader,
  planEnc,
  planRecipient,
  planZip,
  type EncryptPlan,
  type Encrypted,
  type ParameterPlace,
} from './encrypt.js';
import {
  DEFAULT_MAX_HEADER_LENGTH,
  DEFAULT_MAX_TOKEN_LENGTH,
  checkDisjoint,
  checkUnprotectedHeader,
  joseHeaderOf,
  protectedHeaderOf,
} from './header.js';
import type { DecryptResult, EncryptOptions, JWEHeader, JWELimits } from './types.js';

/** One recipient of a general JWE JSON Serialization (RFC 7516 §7.2.1). */
export interface JWERecipientJSON {
  /** The recipient's JWE Per-Recipient Unprotected Header. NOT integrity protected. */
  header?: JWEHeader;
  /** BASE64URL(JWE Encrypted Key); absent when empty (`dir`, `ECDH-ES`). */
  encrypted_key?: string;
}

/** Members every recipient shares. */
interface SharedMembers {
  /** BASE64URL(UTF8(JWE Protected Header)); absent when that header is empty. */
  protected?: string;
  /** The JWE Shared Unprotected Header. NOT integrity protected. */
  unprotected?: JWEHeader;
  /** BASE64URL(JWE AAD), integrity protected by the tag. */
  aad?: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

/** Flattened JWE JSON Serialization (RFC 7516 §7.2.2). */
export interface FlattenedJWE extends SharedMembers, JWERecipientJSON {}

/** General JWE JSON Serialization (RFC 7516 §7.2.1). */
export interface GeneralJWE extends SharedMembers {
  recipients: JWERecipientJSON[];
}

/** Options of the JSON serializations: those of compact, plus the unprotected headers and `aad`. */
export interface JSONEncryptOptions extends EncryptOptions {
  /** The recipient's header (`header`), NOT integrity protected, e.g. `{ kid }`. */
  readonly unprotectedHeader?: JWEHeader | undefined;
  /** The shared unprotected header (`unprotected`), NOT integrity protected. */
  readonly sharedUnprotectedHeader?: JWEHeader | undefined;
  /** Additional authenticated data (`aad`, RFC 7516 §5.1 step 14): bytes, or a string as UTF-8. */
  readonly aad?: Uint8Array | string | undefined;
  /**
   * Where the key-management parameters (`epk`, `apu`, `apv`, `iv`, `tag`, `p2s`, `p2c`) go:
   * the recipient's `header` (default, as RFC 7516 §7.2.1 shows them) or the protected header,
   * where the tag protects them too (as RFC 7520 §5 does for one recipient).
   */
  readonly keyManagementParameters?: ParameterPlace | undefined;
}

/** One recipient of {@link encryptGeneralJWE}. */
export interface GeneralRecipient {
  readonly key: KeyInput;
  /** Key management algorithm; the key's bound `alg` when absent. */
  readonly alg?: string | undefined;
  /** The recipient's header (`header`), NOT integrity protected, e.g. `{ kid }`. */
  readonly header?: JWEHeader | undefined;
  /** ECDH-ES PartyUInfo / PartyVInfo (RFC 7518 §4.6.1.2–3). */
  readonly apu?: Uint8Array | undefined;
  readonly apv?: Uint8Array | undefined;
  /** PBES2 iteration count. Default 10,000; at least 1,000. */
  readonly p2c?: number | undefined;
}

/** Options of {@link encryptGeneralJWE}. */
export interface GeneralEncryptOptions {
  /** Content encryption algorithm. */
  readonly enc: string;
  /** Protected header members (`typ`, `cty`, extensions). */
  readonly protectedHeader?: JWEHeader | undefined;
  /** The shared unprotected header (`unprotected`), NOT integrity protected. */
  readonly sharedUnprotectedHeader?: JWEHeader | undefined;
  /** Additional authenticated data (`aad`): bytes, or a string as UTF-8. */
  readonly aad?: Uint8Array | string | undefined;
  /** Compress the plaintext with DEFLATE (RFC 7516 §4.1.3). */
  readonly zip?: 'DEF' | undefined;
  /** As {@link JSONEncryptOptions.keyManagementParameters}; `'protected'` needs a single recipient. */
  readonly keyManagementParameters?: ParameterPlace | undefined;
}

/** Result of decrypting a general JWE. */
export interface GeneralDecryptResult extends DecryptResult {
  /** Index in `recipients` of the recipient that decrypted. */
  readonly recipientIndex: number;
}

const EMPTY_HEADER: Readonly<JWEHeader> = Object.freeze({});
const EMPTY = new Uint8Array(0);

export function hasMember(obj: JSONObject, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, name);
}

/**
 * The JWE as a fresh JSON object: JSON text is length-checked then parsed strictly; an object is
 * serialized first, so its size is bounded the same way and later changes to it cannot change
 * what was checked.
 * @throws ERR_JWE_INVALID (neither an object nor text), ERR_TOKEN_TOO_LARGE, ERR_JSON_INVALID (text
 *   that is not a JSON object), ERR_JSON_DUPLICATE_MEMBER
 */
export function readJWEObject(jwe: unknown, options: JWELimits): JSONObject {
  let text: string;
  if (typeof jwe === 'string') {
    text = jwe;
  } else if (isJSONObject(jwe)) {
    try {
      text = JSON.stringify(jwe);
    } catch {
      throw new JWEInvalidError('the JWE object is not serializable as JSON');
    }
  } else {
    throw new JWEInvalidError('a JSON JWE must be an object or its JSON text');
  }
  // SECURITY: size is checked before anything is parsed or decoded (THREATS.md §26).
  if (text.length > (options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH)) {
    throw new TokenTooLargeError('the JWE is longer than the allowed maximum');
  }
  return parseJSONObjectText(text, 'JWE');
}

function optionalString(obj: JSONObject, name: string): string | undefined {
  const v = obj[name];
  if (v !== undefined && typeof v !== 'string') throw new JWEInvalidError(`"${name}" must be a string`);
  return v;
}

function optionalObject(obj: JSONObject, name: string): JWEHeader | undefined {
  const v = obj[name];
  if (v !== undefined && !isJSONObject(v)) throw new JWEInvalidError(`"${name}" must be an object`);
  return v as JWEHeader | undefined;
}

function bytesOf(text: string | undefined, name: string): Uint8Array {
  return text === undefined ? EMPTY : decodeBase64URL(text, name);
}

/** The members every recipient shares, parsed strictly. */
export type SharedParts = Omit<ParsedJWE, 'recipients'>;

/**
 * Reads and checks `protected`, `unprotected`, `iv`, `ciphertext`, `tag` and `aad`.
 * @throws ERR_JWE_INVALID, ERR_HEADER_*, ERR_CRIT_INVALID, ERR_BASE64URL_INVALID, ERR_JSON_*
 */
export function parseShared(obj: JSONObject, options: JWELimits): SharedParts {
  const encoded = optionalString(obj, 'protected');
  // RFC 7516 §7.2.1: "protected" is present only when the protected header is non-empty.
  if (encoded === '') throw new JWEInvalidError('"protected" must be a non-empty string');
  const shared = optionalObject(obj, 'unprotected');
  const ciphertext = obj.ciphertext;
  if (typeof ciphertext !== 'string') throw new JWEInvalidError('"ciphertext" must be a string');
  const iv = optionalString(obj, 'iv');
  const tag = optionalString(obj, 'tag');
  const aad = optionalString(obj, 'aad');
  const protectedHeader =
    encoded === undefined ? EMPTY_HEADER : protectedHeaderOf(encoded, options.maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH);
  if (shared !== undefined) checkUnprotectedHeader(shared, 'shared unprotected header');
  return {
    protectedHeader,
    sharedUnprotectedHeader: shared,
    iv: bytesOf(iv, 'iv'),
    ciphertext: bytesOf(ciphertext, 'ciphertext'),
    tag: bytesOf(tag, 'tag'),
    aad: contentAAD(encoded ?? '', aad),
    additionalAuthenticatedData: aad === undefined ? undefined : decodeBase64URL(aad, 'aad'),
  };
}

/**
 * Reads and checks one recipient's `header` and `encrypted_key` (from a `recipients` entry, or
 * the top level of a flattened JWE).
 * @throws ERR_JWE_INVALID, ERR_HEADER_INVALID, ERR_CRIT_INVALID, ERR_BASE64URL_INVALID
 */
export function parseRecipient(obj: JSONObject, shared: SharedParts): ParsedRecipient {
  const header = optionalObject(obj, 'header');
  const encryptedKey = optionalString(obj, 'encrypted_key');
  if (header !== undefined) checkUnprotectedHeader(header, 'recipient header');
  checkDisjoint(shared.protectedHeader, shared.sharedUnprotectedHeader, header);
  return {
    header,
    joseHeader: joseHeaderOf(shared.protectedHeader, shared.sharedUnprotectedHeader, header),
    encryptedKey: bytesOf(encryptedKey, 'encrypted_key'),
  };
}

/** The `aad` member to send, encoded. */
export function aadMember(aad: Uint8Array | string | undefined): string | undefined {
  return aad === undefined ? undefined : encodeBase64URL(plaintextBytes(aad));
}

function sharedLayout(e: Encrypted): Omit<SharedMembers, 'iv' | 'ciphertext' | 'tag'> {
  return {
    ...(e.encodedProtected !== '' && { protected: e.encodedProtected }),
    ...(e.sharedUnprotectedHeader !== undefined && { unprotected: e.sharedUnprotectedHeader }),
  };
}

function recipientLayout(r: Encrypted['recipients'][number]): JWERecipientJSON {
  return {
    ...(r.header !== undefined && { header: r.header }),
    // RFC 7516 §7.2.1: "encrypted_key" is absent when the JWE Encrypted Key is empty.
    ...(r.encryptedKey.length > 0 && { encrypted_key: encodeBase64URL(r.encryptedKey) }),
  };
}

function contentLayout(e: Encrypted): Pick<SharedMembers, 'aad' | 'iv' | 'ciphertext' | 'tag'> {
  return {
    ...(e.aad !== undefined && { aad: e.aad }),
    iv: encodeBase64URL(e.iv),
    ciphertext: encodeBase64URL(e.ciphertext),
    tag: encodeBase64URL(e.tag),
  };
}

/** The flattened layout, members in RFC 7516 §7.2.2 order. */
export function flattenedOf(e: Encrypted): FlattenedJWE {
  return { ...sharedLayout(e), ...recipientLayout(e.recipients[0] as Encrypted['recipients'][number]), ...contentLayout(e) };
}

/** The general layout, members in RFC 7516 §7.2.1 order. */
export function generalOf(e: Encrypted): GeneralJWE {
  return { ...sharedLayout(e), recipients: e.recipients.map(recipientLayout), ...contentLayout(e) };
}

/** A recipient to plan, its key imported. */
export type ImportedRecipient = Omit<GeneralRecipient, 'key'> & { readonly key: TesseraKey };

/**
 * Plans a JSON encryption. `alg` goes where the caller put it; else into the protected header
 * (`algPlace: 'protected'`, flattened) or each recipient's header (general, where recipients may
 * differ). `enc` goes where the caller put it, else into the protected header; `zip` only there.
 * @throws ERR_ALG_*, ERR_KEY_*, ERR_JWE_INVALID, ERR_HEADER_INVALID, ERR_CRIT_INVALID, ERR_INVALID_ARGUMENT
 */
export function planJSON(
  recipients: readonly ImportedRecipient[],
  options: GeneralEncryptOptions,
  algPlace: ParameterPlace,
): EncryptPlan {
  if (typeof options !== 'object' || options === null) throw new JWEInvalidError('"enc" is required');
  const given = copyHeader(options.protectedHeader, 'protectedHeader');
  const shared = copyHeader(options.sharedUnprotectedHeader, 'sharedUnprotectedHeader');
  const sharedAlg = agreed('alg', given?.alg, shared?.alg);
  const owns = recipients.map((r) => copyHeader(r.header, 'recipient header'));
  const enc = planEnc(agreed('enc', options.enc, given?.enc, shared?.enc, ...owns.map((h) => h?.enc)));
  const zip = planZip(options.zip, given?.zip);
  const encElsewhere = shared?.enc !== undefined || owns.some((h) => h?.enc !== undefined);
  const planned = recipients.map((r, i) => {
    const own = owns[i];
    const p = planRecipient(r.key, agreed('alg', r.alg, own?.alg, sharedAlg), own, r);
    const algHere = sharedAlg === undefined && own?.alg === undefined && algPlace === 'header';
    return algHere ? { ...p, header: orderedHeader({ alg: p.km.name }, own) } : p;
  });
  const algInProtected = sharedAlg === undefined && algPlace === 'protected' && owns[0]?.alg === undefined;
  const first = planned[0];
  return finishPlan({
    enc,
    protectedHeader: orderedHeader(
      {
        alg: algInProtected && first !== undefined ? first.km.name : undefined,
        enc: encElsewhere ? undefined : enc.name,
        zip: zip ? 'DEF' : undefined,
      },
      given,
    ),
    sharedUnprotectedHeader: shared !== undefined && Object.keys(shared).length > 0 ? shared : undefined,
    recipients: planned,
    parameters: options.keyManagementParameters ?? 'header',
    zip,
    aad: aadMember(options.aad),
  });
}
