// JWE cases: keys, and the "raw" node:crypto contender of each (the primitives alone on the same
// bytes, RFC 7516 §5.1 / §5.2 with RFC 7518 §4–5), plus an independent decryptor that checks
// every contender's output. Nothing here uses tessera.
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  pbkdf2Sync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { ephemeralP256, generateKeyPairSync, pointOfJWK } from './node-keygen.mjs';
import { CLAIMS_JSON, PAYLOAD } from './fixtures.mjs';

/** The five JWE cases of the benchmark (issue 3). `symmetric` cases carry the ≥ 5× jose target. */
export const JWE_CASES = {
  'dir+A256GCM': { alg: 'dir', enc: 'A256GCM', symmetric: true },
  'A256KW+A256CBC-HS512': { alg: 'A256KW', enc: 'A256CBC-HS512', symmetric: true },
  'RSA-OAEP-256+A256GCM': { alg: 'RSA-OAEP-256', enc: 'A256GCM' },
  'ECDH-ES+A256KW+A256GCM': { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
  'PBES2-HS256+A128KW': { alg: 'PBES2-HS256+A128KW', enc: 'A256GCM', p2c: 1000 },
};

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const fromB64u = (s) => Buffer.from(s, 'base64url');
const A6 = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

// --- the primitives, as a careful application would call node:crypto directly -------------------

function gcmEncrypt(cek, plaintext, aad) {
  const iv = randomBytes(12);
  const c = createCipheriv(`aes-${cek.length * 8}-gcm`, cek, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return { iv, ct, tag: c.getAuthTag() };
}

function gcmDecrypt(cek, iv, ct, tag, aad) {
  const d = createDecipheriv(`aes-${cek.length * 8}-gcm`, cek, iv, { authTagLength: 16 });
  d.setAAD(aad);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(ct), d.final()]);
}

/** RFC 7518 §5.2.2.1: AL is the AAD length in bits, 64-bit big-endian. */
function al(aad) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(aad.length) * 8n);
  return b;
}

function cbcHS512Encrypt(cek, plaintext, aad) {
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', cek.subarray(32), iv);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  const tag = createHmac('sha512', cek.subarray(0, 32)).update(aad).update(iv).update(ct).update(al(aad)).digest().subarray(0, 32);
  return { iv, ct, tag };
}

function cbcHS512Decrypt(cek, iv, ct, tag, aad) {
  const mac = createHmac('sha512', cek.subarray(0, 32)).update(aad).update(iv).update(ct).update(al(aad)).digest().subarray(0, 32);
  if (tag.length !== 32 || !timingSafeEqual(mac, tag)) throw new Error('raw: bad tag');
  const d = createDecipheriv('aes-256-cbc', cek.subarray(32), iv);
  return Buffer.concat([d.update(ct), d.final()]);
}

function wrap(kek, cek) {
  const c = createCipheriv(`id-aes${kek.length * 8}-wrap`, kek, A6);
  return Buffer.concat([c.update(cek), c.final()]);
}

function unwrap(kek, ek) {
  const d = createDecipheriv(`id-aes${kek.length * 8}-wrap`, kek, A6);
  return Buffer.concat([d.update(ek), d.final()]);
}

/** RFC 7518 §4.6.2 OtherInfo for `alg` with empty apu/apv: computed once, like a library would. */
function otherInfo(algorithmID, bits) {
  const len32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const id = Buffer.from(algorithmID);
  return Buffer.concat([len32(id.length), id, len32(0), len32(0), len32(bits)]);
}
const COUNTER_1 = Buffer.from([0, 0, 0, 1]);

/** A key pair as raw and tessera both hold it: KeyObjects imported from its JWK (the same path). */
function keyPair(type, options) {
  const generated = generateKeyPairSync(type, options);
  const privateJWK = generated.privateKey.export({ format: 'jwk' });
  const publicJWK = generated.publicKey.export({ format: 'jwk' });
  return {
    privateJWK,
    publicJWK,
    privateKey: createPrivateKey({ key: privateJWK, format: 'jwk' }),
    publicKey: createPublicKey({ key: publicJWK, format: 'jwk' }),
  };
}

const join = (h, ek, c) => `${h}.${ek.length ? b64u(ek) : ''}.${b64u(c.iv)}.${b64u(c.ct)}.${b64u(c.tag)}`;

/**
 * Everything one case needs: keys in each library's form, and `rawEncrypt()` / `rawDecrypt(token)`
 * over the shared payload. rawDecrypt is also the independent check of every contender's output.
 */
export function jweMaterial(name) {
  const spec = JWE_CASES[name];
  const { alg, enc } = spec;
  const staticHeader = b64u(JSON.stringify({ alg, enc }));
  const staticAAD = Buffer.from(staticHeader, 'latin1');
  const base = { name, spec, alg, enc };
  switch (alg) {
    case 'dir': {
      const key = randomBytes(32);
      return {
        ...base,
        secret: key,
        jwk: { kty: 'oct', k: b64u(key) },
        rawEncrypt: () => join(staticHeader, '', gcmEncrypt(key, PAYLOAD, staticAAD)),
        rawDecrypt: (token) => {
          const [h, , iv, ct, tag] = token.split('.');
          return gcmDecrypt(key, fromB64u(iv), fromB64u(ct), fromB64u(tag), Buffer.from(h, 'latin1'));
        },
      };
    }
    case 'A256KW': {
      const kek = randomBytes(32);
      return {
        ...base,
        secret: kek,
        jwk: { kty: 'oct', k: b64u(kek) },
        rawEncrypt: () => {
          const cek = randomBytes(64);
          return join(staticHeader, wrap(kek, cek), cbcHS512Encrypt(cek, PAYLOAD, staticAAD));
        },
        rawDecrypt: (token) => {
          const [h, ek, iv, ct, tag] = token.split('.');
          return cbcHS512Decrypt(unwrap(kek, fromB64u(ek)), fromB64u(iv), fromB64u(ct), fromB64u(tag), Buffer.from(h, 'latin1'));
        },
      };
    }
    case 'RSA-OAEP-256': {
      const { privateKey, publicKey, privateJWK, publicJWK } = keyPair('rsa', { modulusLength: 2048 });
      const oaep = (key) => ({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' });
      const pubOpts = oaep(publicKey);
      const privOpts = oaep(privateKey);
      return {
        ...base,
        privateJWK,
        publicJWK,
        rawEncrypt: () => {
          const cek = randomBytes(32);
          return join(staticHeader, publicEncrypt(pubOpts, cek), gcmEncrypt(cek, PAYLOAD, staticAAD));
        },
        rawDecrypt: (token) => {
          const [h, ek, iv, ct, tag] = token.split('.');
          return gcmDecrypt(privateDecrypt(privOpts, fromB64u(ek)), fromB64u(iv), fromB64u(ct), fromB64u(tag), Buffer.from(h, 'latin1'));
        },
      };
    }
    case 'ECDH-ES+A256KW': {
      const { privateKey, publicKey, privateJWK, publicJWK } = keyPair('ec', { namedCurve: 'prime256v1' });
      const info = otherInfo(alg, 256);
      const kekOf = (z) => createHash('sha256').update(COUNTER_1).update(z).update(info).digest();
      const recipientPoint = pointOfJWK(publicJWK);
      return {
        ...base,
        privateJWK,
        publicJWK,
        rawEncrypt: () => {
          // A fresh ephemeral key, its public JWK in the protected header (RFC 7518 §4.6.1.1).
          const eph = ephemeralP256();
          const kek = kekOf(eph.derive(recipientPoint));
          const h = b64u(JSON.stringify({ alg, enc, epk: eph.jwk }));
          const cek = randomBytes(32);
          return join(h, wrap(kek, cek), gcmEncrypt(cek, PAYLOAD, Buffer.from(h, 'latin1')));
        },
        rawDecrypt: (token) => {
          const [h, ek, iv, ct, tag] = token.split('.');
          const { epk } = JSON.parse(fromB64u(h).toString('utf8'));
          const kek = kekOf(diffieHellman({ privateKey, publicKey: createPublicKey({ key: epk, format: 'jwk' }) }));
          return gcmDecrypt(unwrap(kek, fromB64u(ek)), fromB64u(iv), fromB64u(ct), fromB64u(tag), Buffer.from(h, 'latin1'));
        },
      };
    }
    case 'PBES2-HS256+A128KW': {
      const password = Buffer.from('correct horse battery staple');
      const prefix = Buffer.from(`${alg}\0`);
      // RFC 7518 §4.8.1.1: salt = UTF8(alg) || 0x00 || p2s.
      const kekOf = (p2s, p2c) => pbkdf2Sync(password, Buffer.concat([prefix, p2s]), p2c, 16, 'sha256');
      return {
        ...base,
        secret: password,
        jwk: { kty: 'oct', k: b64u(password) },
        rawEncrypt: () => {
          const p2s = randomBytes(16);
          const h = b64u(JSON.stringify({ alg, enc, p2s: b64u(p2s), p2c: spec.p2c }));
          const cek = randomBytes(32);
          return join(h, wrap(kekOf(p2s, spec.p2c), cek), gcmEncrypt(cek, PAYLOAD, Buffer.from(h, 'latin1')));
        },
        rawDecrypt: (token) => {
          const [h, ek, iv, ct, tag] = token.split('.');
          const { p2s, p2c } = JSON.parse(fromB64u(h).toString('utf8'));
          if (p2c !== spec.p2c) throw new Error(`raw: p2c ${p2c}`);
          const cek = unwrap(kekOf(fromB64u(p2s), p2c), fromB64u(ek));
          return gcmDecrypt(cek, fromB64u(iv), fromB64u(ct), fromB64u(tag), Buffer.from(h, 'latin1'));
        },
      };
    }
    default:
      throw new Error(`no JWE case ${name}`);
  }
}

/** Checks a compact JWE with the independent decryptor: right header, right plaintext. */
export function assertJWE(m, token) {
  const parts = String(token).split('.');
  if (parts.length !== 5) throw new Error(`${m.name}: not a compact JWE`);
  const header = JSON.parse(fromB64u(parts[0]).toString('utf8'));
  if (header.alg !== m.alg || header.enc !== m.enc) throw new Error(`${m.name}: header says ${header.alg} / ${header.enc}`);
  assertPlaintext(m, m.rawDecrypt(token));
}

/** Checks that a decryptor returned the shared payload. */
export function assertPlaintext(m, plaintext) {
  const text = Buffer.from(plaintext).toString('utf8');
  if (text !== CLAIMS_JSON) throw new Error(`${m.name}: a contender returned another plaintext: ${text.slice(0, 60)}`);
}
