/**
 * Child process for test/unit/jwa/keygen-deadlock.test.ts: generates keys the ways tessera does,
 * in a loop, under `--stress-compaction` (a full, compacting GC at every collection). Prints the
 * number of rounds when done. A Node 20 bug (src/jwa/platform/node.ts, KEYGEN_DEADLOCK) makes a
 * naive generate-then-export loop hang here within a second.
 */
import { platform } from '#platform';
import type { ECDHCurve } from '../../src/jwa/platform/types.ts';

const curves: ECDHCurve[] = ['P-256', 'P-384', 'P-521', 'X25519', 'X448'];
const seconds = Number(process.argv[2] ?? '1');
let rounds = 0;
// Tight loops: the hang needs a collection to fall inside an export, which a loop doing nothing
// else makes likely (a generate-then-export loop of node:crypto alone hangs within a second).
for (const crv of curves) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    for (let i = 0; i < 20; i++) {
      const pair = platform.generateEphemeralKeySync(crv);
      if (typeof pair.publicJWK.x !== 'string') throw new Error('no x');
    }
    rounds++;
  }
}
for (const spec of [{ kty: 'EC', crv: 'P-256' }, { kty: 'OKP', crv: 'Ed25519' }] as const) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await platform.generate(spec);
    rounds++;
  }
}
console.log(`rounds ${rounds}`);
