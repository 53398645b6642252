/**
 * node:crypto's generateKeyPairSync for tests, without Node 20's keygen-job deadlock
 * (src/jwa/platform/node.ts, KEYGEN_DEADLOCK): a KeyObject returned by the job shares the job's
 * lock, so exporting it can hang the process when the collector runs the job's destructor
 * meanwhile. Here the job encodes the keys (DER) and they are imported afresh, so no KeyObject a
 * test holds shares a lock with a job. Calls that ask for encoded keys are passed through.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync as nodeGenerateKeyPairSync } from 'node:crypto';

type Options = { publicKeyEncoding?: unknown; privateKeyEncoding?: unknown } & Record<string, unknown>;

function safeGenerateKeyPairSync(type: string, options?: Options): unknown {
  const generate = nodeGenerateKeyPairSync as unknown as (t: string, o?: Options) => { publicKey: Buffer; privateKey: Buffer };
  if (options?.publicKeyEncoding !== undefined || options?.privateKeyEncoding !== undefined) return generate(type, options);
  const der = generate(type, {
    ...options,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return {
    publicKey: createPublicKey({ key: der.publicKey, format: 'der', type: 'spki' }),
    privateKey: createPrivateKey({ key: der.privateKey, format: 'der', type: 'pkcs8' }),
  };
}

export const generateKeyPairSync = safeGenerateKeyPairSync as unknown as typeof nodeGenerateKeyPairSync;
