// JWT interop with `jose` from npm (panva/jose v6, a devDependency), in process: SignJWT and
// EncryptJWT issue, jwtVerify and jwtDecrypt validate (issuer, audience, typ, requiredClaims);
// a nested JWT is a CompactEncrypt of a SignJWT token with `cty: "JWT"`, and is read back with
// compactDecrypt then jwtVerify (jose has no one-call nested API).
import { randomBytes } from 'node:crypto';
import type * as Jose from 'jose';
import { encodeBase64URL } from '../../src/core/base64url.ts';
import type { JWK } from '../../src/index.ts';
import type { JWEKeySpec } from './helpers/jwe-cases.ts';
import { JWT_SHARED, type JWTInteropCase } from './helpers/jwt-cases.ts';
import { jwtInteropSuite, type JWTExpect, type JWTProduceItem, type JWTProduced, type JWTVerdict, type JWTVerifyItem } from './helpers/jwt-suite.ts';
import type { PeerKeySpec } from './helpers/cases.ts';
import { PEERS, missingPeer } from './helpers/peers.ts';

let jose: typeof Jose;

async function loadJose(): Promise<typeof Jose> {
  try {
    jose = await import('jose');
  } catch (err) {
    throw missingPeer('the npm package "jose"', PEERS.joseNPM.install, err instanceof Error ? err.message : undefined);
  }
  return jose;
}

/** tessera's JWK type is open-ended (`[member: string]: unknown`); jose's is closed. Same JSON. */
const asJose = (jwk: JWK): Jose.JWK => jwk as Jose.JWK;
type JoseKey = Jose.CryptoKey | Uint8Array;

/** A fresh jose key: what its holder keeps (exported, private members included) and what others get. */
async function newKey(alg: string, spec: PeerKeySpec | JWEKeySpec): Promise<{ private: JWK; public: JWK }> {
  if (spec.kty === 'oct') {
    const jwk = { kty: 'oct', k: encodeBase64URL(randomBytes(spec.bits / 8)) };
    return { private: jwk, public: jwk };
  }
  const pair = await jose.generateKeyPair(alg, { extractable: true, ...('crv' in spec && { crv: spec.crv }) });
  return { private: (await jose.exportJWK(pair.privateKey)) as JWK, public: (await jose.exportJWK(pair.publicKey)) as JWK };
}

const key = (jwk: JWK, alg: string): Promise<JoseKey> => jose.importJWK(asJose(jwk), alg);

async function produceCase(item: JWTProduceItem): Promise<JWTProduced> {
  const c = item.case;
  const sign = c.sign && (await newKey(c.sign.alg, c.sign.key));
  const own = c.encrypt && (await newKey(c.encrypt.alg, c.encrypt.key));
  const tokens: Record<string, string> = {};
  for (const t of item.tokens) {
    const payload = t.claims as Jose.JWTPayload;
    if (c.kind === 'signed' || c.kind === 'nested') {
      const s = c.sign as NonNullable<JWTInteropCase['sign']>;
      const jws = await new jose.SignJWT(payload).setProtectedHeader({ alg: s.alg, typ: t.typ }).sign(await key(sign?.private as JWK, s.alg));
      if (c.kind === 'signed') {
        tokens[t.scenario] = jws;
        continue;
      }
      const e = c.encrypt as NonNullable<JWTInteropCase['encrypt']>;
      // RFC 7519 §5.2: cty "JWT"; §5.3: iss replicated into the JWE header.
      tokens[t.scenario] = await new jose.CompactEncrypt(new TextEncoder().encode(jws))
        .setProtectedHeader({ alg: e.alg, enc: e.enc, cty: 'JWT', iss: t.claims.iss as string })
        .encrypt(await key(item.encryptTo as JWK, e.alg));
    } else {
      const e = c.encrypt as NonNullable<JWTInteropCase['encrypt']>;
      tokens[t.scenario] = await new jose.EncryptJWT(payload).setProtectedHeader({ alg: e.alg, enc: e.enc, typ: t.typ }).encrypt(await key(item.encryptTo as JWK, e.alg));
    }
  }
  return {
    ...(sign && { signPublic: sign.public }),
    ...(own && { encryptPrivate: own.private, encryptPublic: own.public }),
    tokens,
  };
}

const claimOptions = (e: JWTExpect): Jose.JWTClaimVerificationOptions => ({
  issuer: e.issuer,
  audience: e.audience,
  requiredClaims: ['exp'],
  ...(e.typ !== undefined && { typ: e.typ }),
});

async function verifyOne(item: JWTVerifyItem): Promise<JWTVerdict> {
  const c = item.case;
  try {
    let payload: Jose.JWTPayload;
    if (c.kind === 'signed') {
      const alg = c.sign?.alg as string;
      ({ payload } = await jose.jwtVerify(item.token, await key(item.verifyWith as JWK, alg), { algorithms: [alg], ...claimOptions(item.expect) }));
    } else {
      const e = c.encrypt as NonNullable<JWTInteropCase['encrypt']>;
      const decryptKey = await key(item.decryptWith as JWK, e.alg);
      const pins = { keyManagementAlgorithms: [e.alg], contentEncryptionAlgorithms: [e.enc] };
      if (c.kind === 'encrypted') {
        ({ payload } = await jose.jwtDecrypt(item.token, decryptKey, { ...pins, ...claimOptions(item.expect) }));
      } else {
        const outer = await jose.compactDecrypt(item.token, decryptKey, pins);
        if (typeof outer.protectedHeader.cty !== 'string' || outer.protectedHeader.cty.toUpperCase() !== 'JWT') throw new Error('not a nested JWT');
        const alg = c.sign?.alg as string;
        ({ payload } = await jose.jwtVerify(outer.plaintext, await key(item.verifyWith as JWK, alg), { algorithms: [alg], ...claimOptions(item.expect) }));
      }
    }
    return { ok: true, claims: JSON.stringify(payload) };
  } catch (err) {
    const e = err as { code?: string; claim?: string };
    return { ok: false, error: `${e.code ?? String(err)}${e.claim ? `:${e.claim}` : ''}` };
  }
}

jwtInteropSuite({
  name: 'jose (npm, v6)',
  shared: JWT_SHARED.joseNPM,
  rejection: {
    expired: /^ERR_JWT_EXPIRED:exp$/,
    claim: (claim) => new RegExp(`^ERR_JWT_CLAIM_VALIDATION_FAILED:${claim}$`),
  },
  async require() {
    await loadJose();
  },
  async produce(items) {
    const out = new Map<string, JWTProduced>();
    for (const item of items) out.set(item.case.id, await produceCase(item));
    return out;
  },
  async verify(items) {
    const out = new Map<string, JWTVerdict>();
    for (const item of items) out.set(item.id, await verifyOne(item));
    return out;
  },
});
