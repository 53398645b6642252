// JWE interop with jwcrypto (python3-jwcrypto 1.1 from Debian), through
// test/interop/helpers/jwcrypto_jwe_peer.py. jwcrypto 1.1 implements every tessera JWE algorithm
// except RSA-OAEP-384 and RSA-OAEP-512; it does ECDH-ES over X25519 and X448, and always
// encrypts PBES2 with p2c = 8192.
import { fileURLToPath } from 'node:url';
import type { GeneralJWE } from '../../src/index.ts';
import { JWE_SHARED } from './helpers/jwe-cases.ts';
import { jweInteropSuite, type JWEProduced, type JWEVerdict } from './helpers/jwe-suite.ts';
import { PEERS, missingPeer, requireExecutable, run } from './helpers/peers.ts';

const SCRIPT = fileURLToPath(new URL('./helpers/jwcrypto_jwe_peer.py', import.meta.url));
const { path: PYTHON, install } = PEERS.python;
const JWCRYPTO_P2C = 8192;

/** Runs one batch in one python process: JSON in, JSON out. */
function python<T>(op: 'produce' | 'decrypt', request: unknown): T {
  const r = run(PYTHON, [SCRIPT, op], { input: JSON.stringify(request) });
  if (r.error) throw missingPeer(`python (${PYTHON})`, install, r.error.message);
  if (/No module named '?jwcrypto/.test(r.stderr)) throw missingPeer('the jwcrypto python module', install);
  if (r.status !== 0) throw new Error(`jwcrypto_jwe_peer.py ${op} exited with ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface ProduceOutput {
  supported: string[];
  results: (JWEProduced & { id: string })[];
  general: Record<string, GeneralJWE>;
}

jweInteropSuite({
  name: 'jwcrypto (python3-jwcrypto)',
  shared: JWE_SHARED.jwcrypto,
  // jwcrypto reports a JWE no key decrypts as InvalidJWEData.
  rejection: /^InvalidJWEData$/,
  pbes2Count: JWCRYPTO_P2C,
  async require() {
    requireExecutable(PYTHON, 'python3', install);
    const r = run(PYTHON, ['-c', 'import jwcrypto.jwe']);
    if (r.status !== 0) throw missingPeer('the jwcrypto python module', install, r.stderr.trim().split('\n').pop());
  },
  async produce(items, groups, probe) {
    const out = python<ProduceOutput>('produce', {
      probe: probe.map((c) => ({ id: c.id, alg: c.alg, enc: c.enc, key: c.key })),
      cases: items.map((i) => ({
        id: i.case.id,
        alg: i.case.alg,
        enc: i.case.enc,
        key: i.case.key,
        encryptTo: i.encryptTo,
        toTessera: i.toTessera,
        toSelf: i.toSelf,
        peerPassword: i.peerPassword,
      })),
      groups,
    });
    return { supported: out.supported, produced: new Map(out.results.map((r) => [r.id, r])), general: out.general };
  },
  async decrypt(items) {
    const out = python<{ results: (JWEVerdict & { id: string })[] }>('decrypt', {
      cases: items.map((i) => ({ ...i, token: typeof i.token === 'string' ? i.token : JSON.stringify(i.token) })),
    });
    return new Map(out.results.map((r) => [r.id, r]));
  },
});
