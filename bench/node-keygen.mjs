// node:crypto key generation for the benchmark, without Node 20's keygen-job deadlock
// (src/jwa/platform/node.ts, KEYGEN_DEADLOCK): a KeyObject returned by generateKeyPairSync shares
// a lock with the job, so exporting it can hang the process when the collector runs the job's
// destructor meanwhile.
import { createECDH, createPrivateKey, createPublicKey, generateKeyPairSync as nodeGenerateKeyPairSync } from 'node:crypto';

/** generateKeyPairSync whose KeyObjects are imported afresh from the job's DER encoding. */
export function generateKeyPairSync(type, options = {}) {
  if (options.publicKeyEncoding !== undefined || options.privateKeyEncoding !== undefined) return nodeGenerateKeyPairSync(type, options);
  const der = nodeGenerateKeyPairSync(type, {
    ...options,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return {
    publicKey: createPublicKey({ key: der.publicKey, format: 'der', type: 'spki' }),
    privateKey: createPrivateKey({ key: der.privateKey, format: 'der', type: 'pkcs8' }),
  };
}

/**
 * A fresh P-256 ECDH key pair for one message (RFC 7518 §4.6.1.1), the way the raw contenders
 * make it: node:crypto's ECDH class, no KeyObject and no keygen job (so no deadlock, and the
 * cheapest primitive node:crypto has for this). Returns the public JWK members and
 * `derive(recipientPoint)`, the shared secret with a recipient's uncompressed point.
 */
export function ephemeralP256() {
  const ecdh = createECDH('prime256v1');
  const point = ecdh.generateKeys();
  return {
    jwk: { kty: 'EC', crv: 'P-256', x: point.toString('base64url', 1, 33), y: point.toString('base64url', 33) },
    derive: (recipientPoint) => ecdh.computeSecret(recipientPoint),
  };
}

/** The uncompressed point (0x04 || X || Y) of an EC public JWK. */
export function pointOfJWK(jwk) {
  return Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}
