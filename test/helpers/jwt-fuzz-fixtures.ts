/**
 * The JWT fuzzer's fixed world: keys derived from fixed labels (so a seed replays the same
 * tokens), the targets a token is pushed through (verify, decrypt, nested, each with its own
 * keys), valid tokens for each, and raw builders that forge a token with any header and payload
 * bytes under a fixture key (so hostile content reaches the checks after the signature or tag).
 *
 * Deterministic: keys, claims, CEKs, IVs, ephemeral keys, PBES2 salts. Not deterministic: ECDSA
 * signatures and RSA-OAEP padding (node:crypto draws them at random), so a replayed run mutates
 * the same positions of tokens whose bytes may differ there; a failure report prints the token.
 */
import { createCipheriv, createDecipheriv, createECDH, createHash, createHmac, createPrivateKey } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { JWK } from '../../src/jwa/types.ts';
import { withFixedRandomness } from '../../src/jwe/_seam.ts';
import {
  decryptAndVerifyJWT,
  decryptAndVerifyJWTSync,
  decryptJWT,
  decryptJWTSync,
  encryptJWT,
  signAndEncryptJWT,
  signJWT,
  verifyJWT,
  verifyJWTSync,
  type JWTClaims,
} from '../../src/jwt/index.ts';
import { loadVector } from './vectors.ts';

export const ISS = 'https://issuer.fuzz.example';
export const AUD = 'https://api.fuzz.example';
/** 2100-01-01: far enough that fixture tokens never expire, well below tessera's NumericDate cap. */
export const EXP = 4102444800;
export const IAT = 1700000000;
/** tessera's largest NumericDate (9999-12-31T23:59:59Z), restated for the soundness oracle. */
export const MAX_NUMERIC_DATE = 253402300799;

/** The claims set of fixture token number `n`. */
export function fixtureClaims(n: number): JWTClaims {
  return { iss: ISS, sub: 'fuzz', aud: AUD, iat: IAT, exp: EXP, jti: `fuzz-${n}`, note: 'grüße ✓' };
}

export const b64u = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url');
/** Lenient decoding (node's), for mutating parts; tessera's own decoder is strict. */
export const unb64u = (text: string): Buffer => Buffer.from(text, 'base64url');

const bytesOf = (label: string, length = 32): Buffer => {
  const out = Buffer.alloc(length);
  for (let i = 0, block = 0; i < length; block++) {
    i += createHash('sha256').update(`tessera-fuzz/${label}/${block}`).digest().copy(out, i);
  }
  return out;
};

/** A P-256 private JWK whose `d` is derived from `label`. */
function p256(label: string): JWK {
  const d = bytesOf(label);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  return { kty: 'EC', crv: 'P-256', x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33, 65)), d: b64u(d) };
}

/** An Ed25519 private JWK whose seed is derived from `label` (RFC 8410 PKCS #8 prefix). */
function ed25519(label: string): JWK {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), bytesOf(label)]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }) as JWK;
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);
const publicOf = (jwk: JWK): JWK => Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.has(k))) as JWK;

/** RFC 7520 §3.4's RSA key (2048 bits), without its `use` and `kid`, so it serves RS256 and RSA-OAEP-256. */
function rsa(): JWK {
  const { use: _use, kid: _kid, ...jwk } = loadVector<JWK>('rfc7520/jwk/3_4.rsa_private_key.json');
  return jwk as JWK;
}

export const KEYS = {
  hs256: new Uint8Array(bytesOf('hs256')),
  es256: p256('es256'),
  eddsa: ed25519('eddsa'),
  rsa: rsa(),
  dir: new Uint8Array(bytesOf('dir')),
  a256kw: new Uint8Array(bytesOf('a256kw')),
  gcmkw: new Uint8Array(bytesOf('a256gcmkw')),
  ecdh: p256('ecdh'),
  password: new TextEncoder().encode('tessera-fuzz-password'),
  nestedDir: new Uint8Array(bytesOf('nested-dir')),
  nestedDirHS: new Uint8Array(bytesOf('nested-dir-hs')),
  nestedHS256: new Uint8Array(bytesOf('nested-hs256')),
  nestedES256: p256('nested-es256'),
  nestedEcdh: p256('nested-ecdh'),
  nestedKW: new Uint8Array(bytesOf('nested-a256kw')),
  nestedEdDSA: ed25519('nested-eddsa'),
} as const;

/** PBES2 count the fixtures use, and the most the PBES2 target accepts (both tessera's minimum). */
export const PBES2_COUNT = 1000;

/** What a target returns on success: the claims and the header the caller would trust. */
export interface Accepted {
  readonly payload: JWTClaims;
  /** The header of the verified layer: the JWS header (verify, nested), the JWE header (decrypt). */
  readonly header: { readonly [name: string]: unknown };
  /** The JWE protected header (decrypt, nested), where claims may be replicated (RFC 7519 §5.3). */
  readonly jweHeader?: { readonly [name: string]: unknown };
}

export type TargetKind = 'verify' | 'decrypt' | 'nested';

export interface Target {
  readonly name: string;
  readonly kind: TargetKind;
  /** The JWS `alg` of the verified layer (verify, nested). */
  readonly signAlg?: string;
  /** `pinned`: allow-lists given; otherwise derived from the keys. Claim checks always: iss, aud, exp. */
  run(token: string, pinned: boolean): Accepted;
  runAsync(token: string, pinned: boolean): Promise<Accepted>;
  /** How much of the mutation budget this target gets (RSA and PBES2 are slow, so less). */
  readonly weight: number;
}

const CHECKS = { issuer: ISS, audience: AUD, requiredClaims: ['exp'] } as const;

function verifyTarget(name: string, alg: string, key: Uint8Array | JWK, weight = 1): Target {
  const options = (pinned: boolean) => (pinned ? { ...CHECKS, algorithms: [alg] } : CHECKS);
  const out = (r: { payload: JWTClaims; protectedHeader: object }): Accepted => ({ payload: r.payload, header: r.protectedHeader as Accepted['header'] });
  return {
    name,
    kind: 'verify',
    signAlg: alg,
    weight,
    run: (t, pinned) => out(verifyJWTSync(t, key, options(pinned))),
    runAsync: async (t, pinned) => out(await verifyJWT(t, key, options(pinned))),
  };
}

interface EncryptSpec {
  readonly alg: string;
  readonly enc: string;
  readonly key: Uint8Array | JWK;
}

function decryptTarget(name: string, e: EncryptSpec, weight = 1): Target {
  const extra = { maxPBES2Count: PBES2_COUNT };
  const options = (pinned: boolean) => (pinned ? { ...CHECKS, ...extra, algorithms: [e.alg], encryptions: [e.enc] } : { ...CHECKS, ...extra });
  const out = (r: { payload: JWTClaims; protectedHeader: object }): Accepted => ({
    payload: r.payload,
    header: r.protectedHeader as Accepted['header'],
    jweHeader: r.protectedHeader as Accepted['header'],
  });
  return {
    name,
    kind: 'decrypt',
    weight,
    run: (t, pinned) => out(decryptJWTSync(t, e.key, options(pinned))),
    runAsync: async (t, pinned) => out(await decryptJWT(t, e.key, options(pinned))),
  };
}

function nestedTarget(name: string, e: EncryptSpec, signAlg: string, verifyKey: Uint8Array | JWK, weight = 1): Target {
  const parts = (pinned: boolean) =>
    [
      { decryptKey: e.key, decryptOptions: pinned ? { algorithms: [e.alg], encryptions: [e.enc] } : {} },
      { verifyKey, verifyOptions: pinned ? { ...CHECKS, algorithms: [signAlg] } : CHECKS },
    ] as const;
  const out = (r: { payload: JWTClaims; protectedHeader: object; jweHeader: object }): Accepted => ({
    payload: r.payload,
    header: r.protectedHeader as Accepted['header'],
    jweHeader: r.jweHeader as Accepted['header'],
  });
  return {
    name,
    kind: 'nested',
    signAlg,
    weight,
    run: (t, pinned) => out(decryptAndVerifyJWTSync(t, ...parts(pinned))),
    runAsync: async (t, pinned) => out(await decryptAndVerifyJWT(t, ...parts(pinned))),
  };
}

/** Content-encryption key and IV lengths, for the fixed randomness of each fixture token. */
const CEK_BYTES: Record<string, number> = { A128GCM: 16, A256GCM: 32, 'A256CBC-HS512': 64 };
const IV_BYTES: Record<string, number> = { A128GCM: 12, A256GCM: 12, 'A256CBC-HS512': 16 };

/** Distinct fixed randomness per fixture token: no two tokens share a CEK, IV, salt or ephemeral key. */
function randomnessFor(n: number, enc: string) {
  return {
    cek: new Uint8Array(bytesOf(`cek/${n}`, CEK_BYTES[enc] ?? 32)),
    iv: new Uint8Array(bytesOf(`iv/${n}`, IV_BYTES[enc] ?? 12)),
    ephemeralKey: p256(`epk/${n}`),
    p2s: new Uint8Array(bytesOf(`p2s/${n}`, 16)),
    kwIV: new Uint8Array(bytesOf(`kwiv/${n}`, 12)),
  };
}

interface FixtureSpec {
  readonly target: Target;
  readonly make: (n: number, variant: number) => Promise<string>;
  readonly count: number;
}

/** The header variants fixture tokens cycle through (so splices between tokens change something). */
const jwsHeader = (v: number) => [{}, { typ: 'JWT' }, { kid: 'k-1', typ: 'at+jwt' }][v % 3] as Record<string, string>;
const jweHeader = (v: number) => [{}, { typ: 'JWT' }, { kid: 'k-1' }][v % 3] as Record<string, string>;

function signed(name: string, alg: string, priv: Uint8Array | JWK, pub: Uint8Array | JWK, weight = 1): FixtureSpec {
  return {
    target: verifyTarget(name, alg, pub, weight),
    count: 3,
    make: (n, v) => signJWT(fixtureClaims(n), priv, { alg, protectedHeader: jwsHeader(v) }),
  };
}

function encrypted(name: string, e: EncryptSpec, decryptKey: Uint8Array | JWK, weight = 1): FixtureSpec {
  return {
    target: decryptTarget(name, { ...e, key: decryptKey }, weight),
    count: 3,
    make: (n, v) =>
      withFixedRandomness(randomnessFor(n, e.enc), () =>
        encryptJWT(fixtureClaims(n), e.key, {
          alg: e.alg,
          enc: e.enc,
          protectedHeader: jweHeader(v),
          ...(v === 2 && { zip: 'DEF' as const }),
          ...(e.alg.startsWith('PBES2') && { p2c: PBES2_COUNT }),
        }),
      ),
  };
}

function nested(name: string, e: EncryptSpec, decryptKey: Uint8Array | JWK, signAlg: string, signKey: Uint8Array | JWK, verifyKey: Uint8Array | JWK, weight = 1): FixtureSpec {
  return {
    target: nestedTarget(name, { ...e, key: decryptKey }, signAlg, verifyKey, weight),
    count: 3,
    make: (n, v) =>
      withFixedRandomness(randomnessFor(n, e.enc), () =>
        signAndEncryptJWT(
          fixtureClaims(n),
          { signKey, signOptions: { alg: signAlg, protectedHeader: jwsHeader(v) } },
          { encryptKey: e.key, encryptOptions: { alg: e.alg, enc: e.enc, ...(v === 2 && { zip: 'DEF' as const }) }, ...(v === 1 && { replicate: ['iss', 'aud'] as const }) },
        ),
      ),
  };
}

const SPECS: readonly FixtureSpec[] = [
  signed('verify HS256', 'HS256', KEYS.hs256, KEYS.hs256),
  signed('verify ES256', 'ES256', KEYS.es256, publicOf(KEYS.es256)),
  signed('verify EdDSA', 'EdDSA', KEYS.eddsa, publicOf(KEYS.eddsa)),
  signed('verify RS256', 'RS256', KEYS.rsa, publicOf(KEYS.rsa)),
  encrypted('decrypt dir + A256GCM', { alg: 'dir', enc: 'A256GCM', key: KEYS.dir }, KEYS.dir),
  encrypted('decrypt A256KW + A256CBC-HS512', { alg: 'A256KW', enc: 'A256CBC-HS512', key: KEYS.a256kw }, KEYS.a256kw),
  encrypted('decrypt A256GCMKW + A256GCM', { alg: 'A256GCMKW', enc: 'A256GCM', key: KEYS.gcmkw }, KEYS.gcmkw),
  encrypted('decrypt ECDH-ES+A256KW + A256GCM', { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', key: publicOf(KEYS.ecdh) }, KEYS.ecdh),
  encrypted('decrypt RSA-OAEP-256 + A256GCM', { alg: 'RSA-OAEP-256', enc: 'A256GCM', key: publicOf(KEYS.rsa) }, KEYS.rsa, 0.4),
  encrypted('decrypt PBES2-HS256+A128KW + A128GCM', { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', key: KEYS.password }, KEYS.password, 0.4),
  nested('nested ES256 in dir + A256GCM', { alg: 'dir', enc: 'A256GCM', key: KEYS.nestedDir }, KEYS.nestedDir, 'ES256', KEYS.nestedES256, publicOf(KEYS.nestedES256)),
  nested('nested HS256 in dir + A256GCM', { alg: 'dir', enc: 'A256GCM', key: KEYS.nestedDirHS }, KEYS.nestedDirHS, 'HS256', KEYS.nestedHS256, KEYS.nestedHS256),
  nested(
    'nested ES256 in ECDH-ES+A256KW + A256GCM',
    { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', key: publicOf(KEYS.nestedEcdh) },
    KEYS.nestedEcdh,
    'ES256',
    KEYS.nestedES256,
    publicOf(KEYS.nestedES256),
  ),
  nested('nested ES256 in RSA-OAEP-256 + A256GCM', { alg: 'RSA-OAEP-256', enc: 'A256GCM', key: publicOf(KEYS.rsa) }, KEYS.rsa, 'ES256', KEYS.nestedES256, publicOf(KEYS.nestedES256), 0.4),
  nested('nested EdDSA in A256KW + A256CBC-HS512', { alg: 'A256KW', enc: 'A256CBC-HS512', key: KEYS.nestedKW }, KEYS.nestedKW, 'EdDSA', KEYS.nestedEdDSA, publicOf(KEYS.nestedEdDSA)),
];

/** A valid token and the target it is valid for. */
export interface FixtureToken {
  readonly token: string;
  readonly target: Target;
}

export interface Fixtures {
  readonly targets: readonly Target[];
  readonly tokens: readonly FixtureToken[];
  /** Token → the name of the one target that accepts it (outer tokens, and the inner JWS of nested ones). */
  readonly validFor: ReadonlyMap<string, string>;
  /** The inner JWS of each nested fixture token, by target name. */
  readonly inner: ReadonlyMap<string, readonly string[]>;
}

/** Makes the valid tokens (with the async API, so both backends can) and checks each is accepted. */
export async function makeFixtures(): Promise<Fixtures> {
  const tokens: FixtureToken[] = [];
  const validFor = new Map<string, string>();
  const inner = new Map<string, string[]>();
  let n = 0;
  for (const spec of SPECS) {
    for (let v = 0; v < spec.count; v++) {
      const token = await spec.make(n++, v);
      const accepted = await spec.target.runAsync(token, true);
      if (accepted.payload.iss !== ISS) throw new Error(`fixture ${spec.target.name} does not verify`);
      tokens.push({ token, target: spec.target });
      validFor.set(token, spec.target.name);
    }
  }
  // The inner JWS of the nested fixtures whose outer layer is `dir` (forgeable): decrypt with node:crypto.
  for (const t of tokens) {
    if (t.target.kind !== 'nested' || !t.target.name.includes(' dir ')) continue;
    const key = t.target.name.includes('HS256') ? KEYS.nestedDirHS : KEYS.nestedDir;
    const jws = openDirGCM(t.token, key);
    validFor.set(jws, `${t.target.name} (inner)`);
    inner.set(t.target.name, [...(inner.get(t.target.name) ?? []), jws]);
  }
  return { targets: SPECS.map((s) => s.target), tokens, validFor, inner };
}

// ---------------------------------------------------------------------------------------------
// Raw builders: any header and payload bytes, validly signed or encrypted with a fixture key.

/** A compact JWS over exactly these header and payload bytes, with a valid HMAC-SHA-256. */
export function forgeHS256(header: string | Uint8Array, payload: string | Uint8Array, key: Uint8Array): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/** A compact `dir` + A256GCM JWE: exactly this protected header and plaintext, a valid tag (RFC 7516 §5.1). */
export function forgeDirGCM(header: string | Uint8Array, plaintext: string | Uint8Array, key: Uint8Array, iv: Uint8Array): string {
  const h = b64u(header);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // RFC 7516 §5.1 step 14: the AAD is the ASCII of the encoded protected header.
  cipher.setAAD(Buffer.from(h, 'ascii'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${h}..${b64u(iv)}.${b64u(ct)}.${b64u(cipher.getAuthTag())}`;
}

/** The plaintext of a `dir` + A256GCM compact JWE (the inverse of forgeDirGCM; no checks). */
function openDirGCM(token: string, key: Uint8Array): string {
  const [h, , iv, ct, tag] = token.split('.') as [string, string, string, string, string];
  const d = createDecipheriv('aes-256-gcm', key, unb64u(iv));
  d.setAAD(Buffer.from(h, 'ascii'));
  d.setAuthTag(unb64u(tag));
  let plaintext = Buffer.concat([d.update(unb64u(ct)), d.final()]);
  const header = JSON.parse(unb64u(h).toString('utf8')) as { zip?: string };
  if (header.zip === 'DEF') plaintext = inflateRawSync(plaintext);
  return plaintext.toString('utf8');
}

export const deflate = (data: string | Uint8Array): Buffer => deflateRawSync(data);
