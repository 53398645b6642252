// Interop with `jose` from npm (panva/jose v6, a devDependency), in process.
// jose v6 is WebCrypto-only: no ES256K (secp256k1) and no Ed448, so neither EdDSA over Ed448 nor
// the fully specified Ed448; it does the fully specified Ed25519 (RFC 9864).
import type * as Jose from 'jose';
import { encodeBase64URL } from '../../src/core/base64url.ts';
import { importJWK, signJWS, type FlattenedJWS, type GeneralJWS, type JWK } from '../../src/index.ts';
import { SHARED, publicPart, tesseraKey, verificationJWK, type InteropCase } from './helpers/cases.ts';
import { PEERS, missingPeer } from './helpers/peers.ts';
import { interopSuite, type Produced, type Verdict } from './helpers/suite.ts';

let jose: typeof Jose;

async function loadJose(): Promise<typeof Jose> {
  try {
    jose = await import('jose');
  } catch (err) {
    throw missingPeer('the npm package "jose"', PEERS.joseNPM.install, err instanceof Error ? err.message : undefined);
  }
  return jose;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** tessera's JWK type is open-ended (`[member: string]: unknown`); jose's is closed. Same JSON. */
const asJose = (jwk: JWK): Jose.JWK => jwk as Jose.JWK;

/** A fresh jose key pair for a case, exported as JWKs (HMAC: one secret). */
async function joseKey(c: InteropCase): Promise<{ privateKey: Jose.CryptoKey; privateJWK: JWK; publicJWK: JWK }> {
  if (c.key.kty === 'oct') {
    const secret = (await jose.generateSecret(c.alg, { extractable: true })) as Jose.CryptoKey;
    const jwk = (await jose.exportJWK(secret)) as JWK;
    return { privateKey: secret, privateJWK: jwk, publicJWK: jwk };
  }
  const pair = await jose.generateKeyPair(c.alg, { extractable: true });
  return {
    privateKey: pair.privateKey,
    privateJWK: (await jose.exportJWK(pair.privateKey)) as JWK,
    publicJWK: (await jose.exportJWK(pair.publicKey)) as JWK,
  };
}

function compactSign(payload: string, key: Jose.CryptoKey | Uint8Array, alg: string): Promise<string> {
  return new jose.CompactSign(utf8(payload)).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

/** jose's own verdict on a case it may not support: can it import tessera's key and verify a tessera token? */
async function joseSupports(c: InteropCase, known: JWK | undefined): Promise<boolean> {
  try {
    // Reuse the suite's key where there is one (RSA generation is the slow part of this file).
    const key = known !== undefined ? await importJWK(known) : await tesseraKey(c);
    const token = await signJWS('probe', key);
    await jose.compactVerify(token, await jose.importJWK(asJose(verificationJWK(key)), c.alg), { algorithms: [c.alg] });
    return true;
  } catch {
    return false;
  }
}

async function verifyOne(item: { alg: string; token: unknown; key: JWK }): Promise<Verdict> {
  try {
    const key = await jose.importJWK(asJose(item.key), item.alg);
    const options = { algorithms: [item.alg] };
    const { payload } =
      typeof item.token === 'string'
        ? await jose.compactVerify(item.token, key, options)
        : 'signatures' in (item.token as object)
          ? await jose.generalVerify(item.token as Jose.GeneralJWSInput, key, options)
          : await jose.flattenedVerify(item.token as Jose.FlattenedJWSInput, key, options);
    return { ok: true, payload: encodeBase64URL(payload) };
  } catch (err) {
    return { ok: false, error: (err as { code?: string }).code ?? String(err) };
  }
}

interopSuite({
  name: 'jose (npm, v6)',
  shared: SHARED.joseNPM,
  rejection: /^ERR_JWS_SIGNATURE_VERIFICATION_FAILED$/,
  async require() {
    await loadJose();
  },
  async produce(items, generalPayload, probe) {
    const supported: string[] = [];
    const known = new Map(items.map((i) => [i.case.id, i.foreignPrivate]));
    for (const c of probe) if (await joseSupports(c, known.get(c.id))) supported.push(c.id);
    const produced = new Map<string, Produced>();
    const general = new jose.GeneralSign(utf8(generalPayload));
    for (const item of items) {
      const c = item.case;
      const k = await joseKey(c);
      const foreign = await jose.importJWK(asJose(item.foreignPrivate), c.alg);
      produced.set(c.id, {
        private: k.privateJWK,
        public: k.publicJWK,
        thumbprint: await jose.calculateJwkThumbprint(asJose(k.publicJWK)),
        foreignThumbprint: await jose.calculateJwkThumbprint(asJose(publicPart(item.foreignPrivate))),
        compact: await compactSign(item.payload, k.privateKey, c.alg),
        foreignCompact: await compactSign(item.foreignPayload, foreign, c.alg),
        flattened: (await new jose.FlattenedSign(utf8(item.payload)).setProtectedHeader({ alg: c.alg, typ: 'JWT' }).sign(k.privateKey)) as FlattenedJWS,
      });
      general.addSignature(k.privateKey).setProtectedHeader({ alg: c.alg, typ: 'JWT' });
    }
    return { supported, produced, general: (await general.sign()) as GeneralJWS };
  },
  async verify(items) {
    const out = new Map<string, Verdict>();
    for (const item of items) out.set(item.id, await verifyOne(item));
    return out;
  },
});
