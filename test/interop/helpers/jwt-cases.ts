// The JWT interop case table shared by every peer (signed, encrypted and nested JWTs), the claim
// scenarios each case is run through, and tessera's side of them: keys, and the options that
// make tessera produce exactly a scenario's claims set.
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKey, type JWK, type JWTClaims, type JWTClaimOptions, type TesseraKey } from '../../../src/index.ts';
import type { PeerKeySpec } from './cases.ts';
import type { JWEKeySpec } from './jwe-cases.ts';

/** The signing layer of a case (signed and nested JWTs). */
export interface JWTSignPart {
  readonly alg: string;
  readonly key: PeerKeySpec;
}

/** The encryption layer of a case (encrypted and nested JWTs). */
export interface JWTEncryptPart {
  readonly alg: string;
  readonly enc: string;
  readonly key: JWEKeySpec;
  /** What tessera generates the key with (`generateKey`): the alg, or the enc for `dir`. */
  readonly generateAs: string;
}

export type JWTKind = 'signed' | 'encrypted' | 'nested';

export interface JWTInteropCase {
  /** Unique label, also the first cell of its docs/interop.md row (without the backticks). */
  readonly id: string;
  /** RFC 7519 §7.1: a JWS (signed), a JWE of the claims (encrypted), or a JWE of a JWS (nested, `cty: "JWT"`). */
  readonly kind: JWTKind;
  readonly sign?: JWTSignPart;
  readonly encrypt?: JWTEncryptPart;
}

const signed = (alg: string, key: PeerKeySpec, label = alg): JWTInteropCase => ({ id: `signed ${label}`, kind: 'signed', sign: { alg, key } });
const p256: PeerKeySpec = { kty: 'EC', crv: 'P-256' };
const rsa: PeerKeySpec = { kty: 'RSA', bits: 2048 };

/** The JWT cases of issue 4: five JWS algorithms, `dir` encryption, and two nested pairings. */
export const ALL_JWT_CASES: readonly JWTInteropCase[] = [
  signed('HS256', { kty: 'oct', bits: 256 }),
  signed('RS256', rsa),
  signed('PS256', rsa),
  signed('ES256', p256),
  signed('EdDSA', { kty: 'OKP', crv: 'Ed25519' }, 'EdDSA (Ed25519)'),
  {
    id: 'encrypted dir + A256GCM',
    kind: 'encrypted',
    encrypt: { alg: 'dir', enc: 'A256GCM', key: { kty: 'oct', bits: 256 }, generateAs: 'A256GCM' },
  },
  {
    id: 'nested ES256 in ECDH-ES+A256KW + A256GCM (P-256)',
    kind: 'nested',
    sign: { alg: 'ES256', key: p256 },
    encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', key: { kty: 'EC', crv: 'P-256' }, generateAs: 'ECDH-ES+A256KW' },
  },
  {
    id: 'nested ES256 in RSA-OAEP-256 + A256GCM',
    kind: 'nested',
    sign: { alg: 'ES256', key: p256 },
    encrypt: { alg: 'RSA-OAEP-256', enc: 'A256GCM', key: { kty: 'RSA', bits: 2048 }, generateAs: 'RSA-OAEP-256' },
  },
];

/** What each peer shares with tessera, by case id (test/interop/jwt-cases.test.ts keeps docs/interop.md in agreement). */
export const JWT_SHARED = {
  joseNPM: ALL_JWT_CASES.map((c) => c.id),
  jwcrypto: ALL_JWT_CASES.map((c) => c.id),
} as const satisfies Record<string, readonly string[]>;

// ---------------------------------------------------------------------------------------------
// Claim scenarios: every case is produced and verified through each of them, both ways.

/** The audience every verifier expects. */
export const AUDIENCE = 'https://api.example';
/** The issuer of tokens tessera makes, and of tokens the peer makes. */
export const TESSERA_ISSUER = 'https://tessera.example';
export const PEER_ISSUER = 'https://peer.example';

/** How a verifier must treat a scenario's token. */
export type Outcome = 'accepted' | 'expired' | { readonly claim: 'iss' | 'aud' };

export type ScenarioName = 'valid' | 'at+jwt' | 'expired' | 'wrong-aud' | 'wrong-iss';

export interface Scenario {
  readonly name: ScenarioName;
  /** The `typ` header (the JWS header; the JWE header of an encrypted JWT). */
  readonly typ: 'JWT' | 'at+jwt';
  /** Seconds before now that the token was issued (`iat`), and its lifetime (`exp - iat`). */
  readonly issuedAgo: number;
  readonly lifetime: number;
  /** Issued by the producer itself, or by someone the verifier does not accept. */
  readonly issuer: 'self' | 'wrong';
  readonly audience: string | readonly string[];
  /** Claims beyond the registered ones (non-ASCII on purpose). */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly outcome: Outcome;
}

// RFC 9068 §2.2: an access token carries iss, exp, aud, sub, client_id, iat and jti.
export const SCENARIOS: readonly Scenario[] = [
  { name: 'valid', typ: 'JWT', issuedAgo: 0, lifetime: 600, issuer: 'self', audience: AUDIENCE, extra: { name: 'Grüße ✓ 🔑', admin: false }, outcome: 'accepted' },
  {
    name: 'at+jwt',
    typ: 'at+jwt',
    issuedAgo: 5,
    lifetime: 300,
    issuer: 'self',
    audience: [AUDIENCE, 'https://other.example'],
    extra: { client_id: 'client-7', scope: 'read write' },
    outcome: 'accepted',
  },
  // Expired an hour ago: beyond every peer's default leeway (jwcrypto allows 60 s).
  { name: 'expired', typ: 'JWT', issuedAgo: 7200, lifetime: 3600, issuer: 'self', audience: AUDIENCE, extra: {}, outcome: 'expired' },
  { name: 'wrong-aud', typ: 'JWT', issuedAgo: 0, lifetime: 600, issuer: 'self', audience: 'https://other.example', extra: {}, outcome: { claim: 'aud' } },
  { name: 'wrong-iss', typ: 'JWT', issuedAgo: 0, lifetime: 600, issuer: 'wrong', audience: AUDIENCE, extra: {}, outcome: { claim: 'iss' } },
];

export const WRONG_ISSUER = 'https://evil.example';

/** A scenario's claims set, for a producer whose issuer is `issuer`, at `now` (seconds). */
export function scenarioClaims(s: Scenario, issuer: string, now: number, jti: string): JWTClaims {
  const iat = now - s.issuedAgo;
  return {
    ...s.extra,
    iss: s.issuer === 'self' ? issuer : WRONG_ISSUER,
    sub: 'ada',
    aud: typeof s.audience === 'string' ? s.audience : [...s.audience],
    iat,
    exp: iat + s.lifetime,
    jti,
  };
}

/** A fresh jti per token, so no two tokens of the suite are alike. */
export const newJTI = (): string => randomUUID();

/**
 * tessera's claim options that produce exactly {@link scenarioClaims}: `issuer`, `subject`,
 * `audience`, `expiresIn`, `jti` and the issue time, plus the `at+jwt` profile (which sets `typ`).
 */
export function tesseraClaimOptions(s: Scenario, issuer: string, now: number, jti: string): { claims: JWTClaims; options: JWTClaimOptions } {
  return {
    claims: { ...s.extra },
    options: {
      issuer: s.issuer === 'self' ? issuer : WRONG_ISSUER,
      subject: 'ada',
      audience: s.audience,
      expiresIn: s.lifetime,
      currentDate: new Date((now - s.issuedAgo) * 1000),
      jti,
      ...(s.typ === 'at+jwt' ? { profile: 'at+jwt' as const } : { typ: 'JWT' }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// tessera's keys.

/** A tessera key and what a peer gets of it (the public JWK, or the secret JWK). */
export interface TesseraJWTKey {
  readonly key: TesseraKey;
  readonly shared: JWK;
}

async function tesseraKey(alg: string): Promise<TesseraJWTKey> {
  const key = await generateKey(alg);
  return { key, shared: exportJWK(key, { public: key.family !== 'oct' }) };
}

/** tessera's keys for a case: a signing key (signed, nested) and a decryption key (encrypted, nested). */
export async function tesseraJWTKeys(c: JWTInteropCase): Promise<{ sign?: TesseraJWTKey; encrypt?: TesseraJWTKey }> {
  return {
    ...(c.sign && { sign: await tesseraKey(c.sign.alg) }),
    ...(c.encrypt && { encrypt: await tesseraKey(c.encrypt.generateAs) }),
  };
}
