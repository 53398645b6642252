/**
 * JWE conformance vectors, normalised from their two schemas (the RFC 7520 cookbook files and the
 * RFC 7516 appendix files written by the project) into one shape. Sources: test/vectors/data/README.md.
 */
import { createHash } from 'node:crypto';
import type { JWK } from '../../src/jwa/types.ts';
import type { JWEHeader } from '../../src/jwe/types.ts';
import { loadVector, publicJWK, utf8 } from './vectors.ts';

export const b64u = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');
export const unb64u = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'));
export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** What the recipient side needs, and what the test seam must inject to re-produce the sender side. */
export interface JWEVector {
  readonly name: string;
  readonly alg: string;
  readonly enc: string;
  /** The recipient's decryption key: a private JWK, a secret, or (PBES2) the password bytes. */
  readonly key: JWK | Uint8Array;
  /** What a sender encrypts to: the public JWK, the secret, or the password bytes. */
  readonly encryptKey: JWK | Uint8Array;
  readonly plaintext: Uint8Array;
  /** The bytes the content encryption actually processed (the DEFLATE output when `zip` is set). */
  readonly encrypted: Uint8Array;
  readonly zip: boolean;
  /** The exact encoded protected header ('' when there is none, RFC 7520 §5.12). */
  readonly protectedB64u: string;
  readonly protectedHeader: JWEHeader;
  readonly sharedUnprotectedHeader: JWEHeader | undefined;
  /** The recipient's own header (JSON serializations), as the vector's output carries it. */
  readonly recipientHeader: JWEHeader | undefined;
  /** The JSON `aad` member (RFC 7520 §5.10). */
  readonly aadB64u: string | undefined;
  readonly cek: Uint8Array;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
  /** '' for `dir` and `ECDH-ES` (RFC 7516 §5.1 step 5). */
  readonly encryptedKey: string;
  /** Sender randomness to inject: ECDH-ES ephemeral private JWK, PBES2 salt, GCM key-wrap IV. */
  readonly ephemeralKey: JWK | undefined;
  readonly p2s: Uint8Array | undefined;
  readonly p2c: number | undefined;
  readonly kwIV: Uint8Array | undefined;
  readonly compact: string | undefined;
  readonly flattened: Record<string, unknown> | undefined;
  readonly general: Record<string, unknown> | undefined;
  /**
   * `exact`: the encrypted key is re-produced byte for byte; `randomized`: RSA-OAEP (decrypt only);
   * `unsupported`: RSA1_5, which tessera refuses.
   */
  readonly keyManagement: 'exact' | 'randomized' | 'unsupported';
  /** The compressed form is zlib-specific (RFC 7520 §5.9): the public API cannot re-produce it. */
  readonly contentReproducible: boolean;
}

/** The JOSE header of the vector's recipient (RFC 7516 §7.2.1 union of the three places). */
export function joseHeader(v: JWEVector): JWEHeader {
  return { ...v.protectedHeader, ...v.sharedUnprotectedHeader, ...v.recipientHeader };
}

/** RFC 7516 §5.1 step 14: the AAD the content encryption authenticated. */
export function contentAAD(v: JWEVector): Uint8Array {
  return utf8(v.aadB64u === undefined ? v.protectedB64u : `${v.protectedB64u}.${v.aadB64u}`);
}

/** The key a sender holds: the public part of an asymmetric JWK, the secret or password itself. */
export function senderKey(key: JWK | Uint8Array): JWK | Uint8Array {
  return key instanceof Uint8Array || key.kty === 'oct' ? key : publicJWK(key);
}

const KEY_MANAGEMENT_MEMBERS = new Set(['epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c']);

/** The caller-given members of a protected header: not alg/enc/zip, not the algorithm's own parameters. */
export function callerMembers(header: JWEHeader): JWEHeader {
  return Object.fromEntries(Object.entries(header).filter(([k]) => !['alg', 'enc', 'zip'].includes(k) && !KEY_MANAGEMENT_MEMBERS.has(k)));
}

/** The key-management members of a header (what `KeyManagement.wrap` returns as parameters). */
export function keyManagementMembers(header: JWEHeader): JWEHeader {
  return Object.fromEntries(Object.entries(header).filter(([k]) => KEY_MANAGEMENT_MEMBERS.has(k)));
}

// ---------------------------------------------------------------------------------------------
// RFC 7520 cookbook schema

interface CookbookJWEFile {
  readonly title: string;
  readonly input: { plaintext: string; key?: JWK | JWK[]; pwd?: string; alg: string | string[]; enc: string; zip?: string; aad?: string };
  readonly generated: { cek?: string; iv: string; plaintext_c?: string; aad_b64u?: string };
  readonly encrypting_key?: CookbookKey | CookbookKey[];
  readonly encrypting_content: { protected?: JWEHeader; protected_b64u?: string; unprotected?: JWEHeader; ciphertext: string; tag: string };
  readonly output: { compact?: string; json?: Record<string, unknown>; json_flat?: Record<string, unknown> };
}

interface CookbookKey {
  readonly encrypted_key?: string;
  readonly epk?: JWK;
  readonly cek?: string;
  readonly iv?: string;
  readonly tag?: string;
  readonly salt?: string;
  readonly iteration_count?: number;
  readonly header?: JWEHeader;
}

export function loadCookbookFile(path: string): CookbookJWEFile {
  return loadVector<CookbookJWEFile>(path);
}

export interface CookbookOverrides {
  readonly name?: string;
  /** 5.13: which recipient (alg, key and encrypting_key entry). */
  readonly recipient?: number;
  readonly cek?: Uint8Array;
  readonly ephemeralKey?: JWK;
  readonly keyManagement?: JWEVector['keyManagement'];
}

/** A cookbook JWE (RFC 7520 §5, §6 `encrypt`, curve25519/ecdh-es) as a {@link JWEVector}. */
export function fromCookbook(file: CookbookJWEFile, overrides: CookbookOverrides = {}): JWEVector {
  const i = overrides.recipient;
  const pick = <T>(v: T | T[]): T => (Array.isArray(v) ? (v[i ?? 0] as T) : v);
  const alg = pick(file.input.alg);
  const ek: CookbookKey = (file.encrypting_key === undefined ? {} : pick(file.encrypting_key)) as CookbookKey;
  const key: JWK | Uint8Array = file.input.pwd !== undefined ? utf8(file.input.pwd) : pick(file.input.key as JWK | JWK[]);
  const content = file.encrypting_content;
  const protectedHeader = content.protected ?? {};
  // RFC 7520 §5.13: input.enc is misspelled upstream ("A128CBC-H256"); the header is authoritative.
  const enc = (protectedHeader.enc ?? content.unprotected?.enc ?? file.input.enc) as string;
  const json = file.output.json as { recipients?: { header?: JWEHeader }[] } | undefined;
  const recipientHeader = json?.recipients?.[i ?? 0]?.header;
  const cekText = file.generated.cek ?? ek.cek;
  const cek = overrides.cek ?? (cekText !== undefined ? unb64u(cekText) : unb64u((key as JWK).k as string));
  const plaintext = utf8(file.input.plaintext);
  const randomized = alg.startsWith('RSA-OAEP');
  return {
    name: overrides.name ?? file.title,
    alg,
    enc,
    key,
    encryptKey: senderKey(key),
    plaintext,
    encrypted: file.generated.plaintext_c !== undefined ? unb64u(file.generated.plaintext_c) : plaintext,
    zip: file.input.zip === 'DEF',
    protectedB64u: content.protected_b64u ?? '',
    protectedHeader,
    sharedUnprotectedHeader: content.unprotected,
    recipientHeader,
    aadB64u: file.generated.aad_b64u,
    cek,
    iv: file.generated.iv,
    ciphertext: content.ciphertext,
    tag: content.tag,
    encryptedKey: ek.encrypted_key ?? '',
    ephemeralKey: overrides.ephemeralKey ?? ek.epk,
    p2s: ek.salt !== undefined ? unb64u(ek.salt) : undefined,
    p2c: ek.iteration_count,
    kwIV: ek.iv !== undefined ? unb64u(ek.iv) : undefined,
    compact: file.output.compact,
    flattened: file.output.json_flat,
    general: file.output.json,
    keyManagement: overrides.keyManagement ?? (alg === 'RSA1_5' ? 'unsupported' : randomized ? 'randomized' : 'exact'),
    contentReproducible: file.generated.plaintext_c === undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// RFC 7516 appendix schema

export interface AppendixJWEFile {
  readonly source: string;
  readonly title: string;
  readonly alg: string;
  readonly enc: string;
  readonly plaintext_utf8: string;
  readonly protected_header_utf8: string;
  readonly protected_b64u: string;
  readonly cek_b64u: string;
  readonly jwk: JWK;
  readonly encrypted_key_b64u: string;
  readonly iv_b64u: string;
  readonly aad_ascii: string;
  readonly ciphertext_b64u: string;
  readonly tag_b64u: string;
  readonly compact: string;
}

/** An RFC 7516 A.1–A.3 file as a {@link JWEVector}. */
export function fromAppendix(path: string): JWEVector {
  const v = loadVector<AppendixJWEFile>(path);
  const plaintext = utf8(v.plaintext_utf8);
  return {
    name: `${v.source}: ${v.title}`,
    alg: v.alg,
    enc: v.enc,
    key: v.jwk,
    encryptKey: senderKey(v.jwk),
    plaintext,
    encrypted: plaintext,
    zip: false,
    protectedB64u: v.protected_b64u,
    protectedHeader: JSON.parse(v.protected_header_utf8) as JWEHeader,
    sharedUnprotectedHeader: undefined,
    recipientHeader: undefined,
    aadB64u: undefined,
    cek: unb64u(v.cek_b64u),
    iv: v.iv_b64u,
    ciphertext: v.ciphertext_b64u,
    tag: v.tag_b64u,
    encryptedKey: v.encrypted_key_b64u,
    ephemeralKey: undefined,
    p2s: undefined,
    p2c: undefined,
    kwIV: undefined,
    compact: v.compact,
    flattened: undefined,
    general: undefined,
    keyManagement: v.alg === 'RSA1_5' ? 'unsupported' : v.alg.startsWith('RSA-OAEP') ? 'randomized' : 'exact',
    contentReproducible: true,
  };
}

// ---------------------------------------------------------------------------------------------
// Concat KDF, written out independently of src/ so the ECDH-ES tests check tessera against it

/**
 * RFC 7518 §4.6.2: the Concat KDF of NIST SP 800-56A with SHA-256, for a key of `bits` bits, and
 * OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (each datalen-prefixed).
 */
export function concatKDF(z: Uint8Array, algorithmID: string, bits: number, apu: Uint8Array = new Uint8Array(0), apv: Uint8Array = new Uint8Array(0)): Uint8Array {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const prefixed = (data: Uint8Array): Buffer => Buffer.concat([u32(data.length), data]);
  const otherInfo = Buffer.concat([prefixed(utf8(algorithmID)), prefixed(apu), prefixed(apv), u32(bits)]);
  const out: Buffer[] = [];
  for (let counter = 1; out.length * 32 < bits / 8; counter++) {
    out.push(createHash('sha256').update(u32(counter)).update(z).update(otherInfo).digest());
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, bits / 8));
}
