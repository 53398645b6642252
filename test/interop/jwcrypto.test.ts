// Interop with jwcrypto (python3-jwcrypto 1.1 from Debian), through test/interop/helpers/jwcrypto_peer.py.
// jwcrypto 1.1 implements every tessera JWS algorithm except the fully specified Ed25519 and Ed448
// (RFC 9864), which it predates; it does EdDSA over both Ed25519 and Ed448, and ES256K.
import { fileURLToPath } from 'node:url';
import type { GeneralJWS } from '../../src/index.ts';
import { SHARED } from './helpers/cases.ts';
import { PEERS, missingPeer, requireExecutable, run } from './helpers/peers.ts';
import { interopSuite, type Produced, type Verdict } from './helpers/suite.ts';

const SCRIPT = fileURLToPath(new URL('./helpers/jwcrypto_peer.py', import.meta.url));
const { path: PYTHON, install } = PEERS.python;

/** Runs one batch in one python process: JSON in, JSON out. */
function python<T>(op: 'produce' | 'verify', request: unknown): T {
  const r = run(PYTHON, [SCRIPT, op], { input: JSON.stringify(request) });
  if (r.error) throw missingPeer(`python (${PYTHON})`, install, r.error.message);
  if (/No module named '?jwcrypto/.test(r.stderr)) throw missingPeer('the jwcrypto python module', install);
  if (r.status !== 0) throw new Error(`jwcrypto_peer.py ${op} exited with ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface ProduceOutput {
  supported: string[];
  results: (Produced & { id: string })[];
  general: GeneralJWS;
}

interopSuite({
  name: 'jwcrypto (python3-jwcrypto)',
  shared: SHARED.jwcrypto,
  rejection: /^InvalidJWSSignature$/,
  async require() {
    requireExecutable(PYTHON, 'python3', install);
    const r = run(PYTHON, ['-c', 'import jwcrypto.jws']);
    if (r.status !== 0) throw missingPeer('the jwcrypto python module', install, r.stderr.trim().split('\n').pop());
  },
  async produce(items, generalPayload, probe) {
    const out = python<ProduceOutput>('produce', {
      probe: probe.map((c) => ({ id: c.id, alg: c.alg, key: c.key })),
      cases: items.map((i) => ({
        id: i.case.id,
        alg: i.case.alg,
        key: i.case.key,
        payload: i.payload,
        foreignPayload: i.foreignPayload,
        foreign: i.foreignPrivate,
      })),
      generalPayload,
    });
    return { supported: out.supported, produced: new Map(out.results.map((r) => [r.id, r])), general: out.general };
  },
  async verify(items) {
    const out = python<{ results: (Verdict & { id: string })[] }>('verify', {
      cases: items.map((i) => ({ ...i, token: typeof i.token === 'string' ? i.token : JSON.stringify(i.token) })),
    });
    return new Map(out.results.map((r) => [r.id, r]));
  },
});
