// JWE interop with `jose` from npm (panva/jose v6, a devDependency), in process.
// jose v6 is WebCrypto-only: every tessera JWE algorithm except ECDH-ES over X448. It needs
// PBES2 named in keyManagementAlgorithms, and caps p2c with maxPBES2Count (default 10,000).
import { randomBytes } from 'node:crypto';
import type * as Jose from 'jose';
import { encodeBase64URL } from '../../src/core/base64url.ts';
import type { FlattenedJWE, GeneralJWE, JWK } from '../../src/index.ts';
import { JWE_SHARED, type JWEInteropCase } from './helpers/jwe-cases.ts';
import { jweInteropSuite, type JWEProduced, type JWEVerdict, type PeerKey } from './helpers/jwe-suite.ts';
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

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** tessera's JWK type is open-ended (`[member: string]: unknown`); jose's is closed. Same JSON. */
const asJose = (jwk: JWK): Jose.JWK => jwk as Jose.JWK;
/** jose's default p2c when it encrypts with PBES2 (v6). */
const JOSE_P2C = 2048;

type JoseKey = Jose.CryptoKey | Uint8Array;

/** A key for jose: a password as its bytes, a JWK imported for the case's alg. */
async function joseKey(key: PeerKey, alg: string): Promise<JoseKey> {
  return typeof key === 'string' ? utf8(key) : jose.importJWK(asJose(key), alg);
}

/** A fresh jose key for a case: what it decrypts with (exported) and what a sender encrypts to. */
async function newKey(c: JWEInteropCase, peerPassword: string | undefined): Promise<{ private: PeerKey; public: PeerKey }> {
  if (c.key.kty === 'password') return { private: peerPassword as string, public: peerPassword as string };
  if (c.key.kty === 'oct') {
    const jwk = { kty: 'oct', k: encodeBase64URL(randomBytes(c.key.bits / 8)) };
    return { private: jwk, public: jwk };
  }
  const pair = await jose.generateKeyPair(c.alg, { extractable: true, ...('crv' in c.key && { crv: c.key.crv }) });
  return { private: (await jose.exportJWK(pair.privateKey)) as JWK, public: (await jose.exportJWK(pair.publicKey)) as JWK };
}

function compact(plaintext: string, key: JoseKey, c: { alg: string; enc: string }): Promise<string> {
  return new jose.CompactEncrypt(utf8(plaintext)).setProtectedHeader({ alg: c.alg, enc: c.enc }).encrypt(key);
}

/** jose's own verdict: can it encrypt to a fresh key of its own for the case, and decrypt that? */
async function joseSupports(c: JWEInteropCase): Promise<boolean> {
  try {
    const k = await newKey(c, 'probe-password-0123456789');
    const token = await compact('probe', await joseKey(k.public, c.alg), c);
    await jose.compactDecrypt(token, await joseKey(k.private, c.alg), { keyManagementAlgorithms: [c.alg] });
    return true;
  } catch {
    return false;
  }
}

async function decryptOne(item: { alg: string; enc: string; token: unknown; key: PeerKey }): Promise<JWEVerdict> {
  try {
    const key = await joseKey(item.key, item.alg);
    const options = { keyManagementAlgorithms: [item.alg], contentEncryptionAlgorithms: [item.enc] };
    const { plaintext } =
      typeof item.token === 'string'
        ? await jose.compactDecrypt(item.token, key, options)
        : 'recipients' in (item.token as object)
          ? await jose.generalDecrypt(item.token as Jose.GeneralJWE, key, options)
          : await jose.flattenedDecrypt(item.token as Jose.FlattenedJWE, key, options);
    return { ok: true, plaintext: encodeBase64URL(plaintext) };
  } catch (err) {
    return { ok: false, error: (err as { code?: string }).code ?? String(err) };
  }
}

jweInteropSuite({
  name: 'jose (npm, v6)',
  shared: JWE_SHARED.joseNPM,
  rejection: /^ERR_JWE_DECRYPTION_FAILED$/,
  pbes2Count: JOSE_P2C,
  async require() {
    await loadJose();
  },
  async produce(items, groups, probe) {
    const supported: string[] = [];
    for (const c of probe) if (await joseSupports(c)) supported.push(c.id);
    const produced = new Map<string, JWEProduced>();
    const tesseraKeys = new Map<string, JoseKey>();
    for (const item of items) {
      const c = item.case;
      const own = await newKey(c, item.peerPassword);
      const toTessera = await joseKey(item.encryptTo, c.alg);
      tesseraKeys.set(c.id, toTessera);
      produced.set(c.id, {
        private: own.private,
        public: own.public,
        compact: await compact(item.toTessera, toTessera, c),
        flattened: (await new jose.FlattenedEncrypt(utf8(item.toTessera))
          .setProtectedHeader({ alg: c.alg, enc: c.enc })
          .encrypt(toTessera)) as FlattenedJWE,
        selfCompact: await compact(item.toSelf, await joseKey(own.public, c.alg), c),
      });
    }
    const general: Record<string, GeneralJWE> = {};
    for (const g of groups) {
      const enc = new jose.GeneralEncrypt(utf8(g.plaintext)).setProtectedHeader({ enc: g.enc });
      for (const caseId of g.ids) {
        const alg = (items.find((i) => i.case.id === caseId) as (typeof items)[number]).case.alg;
        enc.addRecipient(tesseraKeys.get(caseId) as JoseKey).setUnprotectedHeader({ alg });
      }
      general[g.enc] = (await enc.encrypt()) as GeneralJWE;
    }
    return { supported, produced, general };
  },
  async decrypt(items) {
    const out = new Map<string, JWEVerdict>();
    for (const item of items) out.set(item.id, await decryptOne(item));
    return out;
  },
});
