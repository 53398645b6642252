// JWT interop with jwcrypto (python3-jwcrypto 1.1 from Debian), through
// test/interop/helpers/jwcrypto_jwt_peer.py: jwcrypto's jwt.JWT issues (make_signed_token,
// make_encrypted_token, both for nested) and validates (check_claims for iss, aud and exp).
// jwcrypto has no `typ` header check of its own: the peer script compares it with JWT.norm_typ.
import { fileURLToPath } from 'node:url';
import { JWT_SHARED } from './helpers/jwt-cases.ts';
import { jwtInteropSuite, type JWTProduced, type JWTVerdict } from './helpers/jwt-suite.ts';
import { PEERS, missingPeer, requireExecutable, run } from './helpers/peers.ts';

const SCRIPT = fileURLToPath(new URL('./helpers/jwcrypto_jwt_peer.py', import.meta.url));
const { path: PYTHON, install } = PEERS.python;

/** Runs one batch in one python process: JSON in, JSON out. */
function python<T>(op: 'produce' | 'verify', request: unknown): T {
  const r = run(PYTHON, [SCRIPT, op], { input: JSON.stringify(request) });
  if (r.error) throw missingPeer(`python (${PYTHON})`, install, r.error.message);
  if (/No module named '?jwcrypto/.test(r.stderr)) throw missingPeer('the jwcrypto python module', install);
  if (r.status !== 0) throw new Error(`jwcrypto_jwt_peer.py ${op} exited with ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

jwtInteropSuite({
  name: 'jwcrypto (python3-jwcrypto)',
  shared: JWT_SHARED.jwcrypto,
  rejection: {
    expired: /^JWTExpired$/,
    // check_claims reports "Invalid 'aud' value…"; the script reports typ the same way.
    claim: (claim) => new RegExp(`^(JWTInvalidClaimValue|TypMismatch):${claim}$`),
  },
  async require() {
    requireExecutable(PYTHON, 'python3', install);
    const r = run(PYTHON, ['-c', 'import jwcrypto.jwt']);
    if (r.status !== 0) throw missingPeer('the jwcrypto python module', install, r.stderr.trim().split('\n').pop());
  },
  async produce(items) {
    const out = python<{ results: (JWTProduced & { id: string })[] }>('produce', { cases: items });
    return new Map(out.results.map((r) => [r.id, r]));
  },
  async verify(items) {
    const out = python<{ results: (JWTVerdict & { id: string })[] }>('verify', { cases: items });
    return new Map(out.results.map((r) => [r.id, r]));
  },
});
