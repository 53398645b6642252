// One interop suite, run against each peer through a small adapter. Both directions, every
// shared algorithm, every serialization, keys exchanged both ways, tampering both ways.
//
// The peer does its work in two batches (one `produce`, one `verify`), so a peer that runs as a
// subprocess costs two process starts per suite, not one per algorithm.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64URL } from '../../../src/core/base64url.ts';
import {
  calculateThumbprint,
  exportJWK,
  importJWK,
  signFlattenedJWS,
  signGeneralJWS,
  signJWS,
  verifyFlattenedJWS,
  verifyGeneralJWS,
  verifyJWS,
  type FlattenedJWS,
  type GeneralJWS,
  type JWK,
  type TesseraKey,
} from '../../../src/index.ts';
import { ALL_CASES, payloadFor, tamperCompact, tesseraKey, text, verificationJWK, type InteropCase } from './cases.ts';

/** What tessera hands the peer for one case before the peer signs. */
export interface ProduceItem {
  readonly case: InteropCase;
  /** Payload for the peer's own key (compact and flattened). */
  readonly payload: string;
  /** Payload for the peer signing with tessera's exported private key. */
  readonly foreignPayload: string;
  /** tessera's key, exported with its private members. */
  readonly foreignPrivate: JWK;
}

/** What the peer made for one case. */
export interface Produced {
  /** The peer's own key, as the peer exports it (private members included). */
  readonly private: JWK;
  /** What a verifier gets: the public JWK, or the secret for HMAC. */
  readonly public: JWK;
  /** The peer's RFC 7638 SHA-256 thumbprint of its own key and of tessera's key. */
  readonly thumbprint: string;
  readonly foreignThumbprint: string;
  /** Signed with the peer's own key over `payload`. */
  readonly compact: string;
  /** Signed by the peer with tessera's private key over `foreignPayload`. */
  readonly foreignCompact: string;
  /** Flattened JSON, the peer's own key, over `payload`. */
  readonly flattened: FlattenedJWS;
}

export interface ProduceResult {
  /** Ids from ALL_CASES that the peer can sign and verify on its own. */
  readonly supported: readonly string[];
  readonly produced: ReadonlyMap<string, Produced>;
  /** One general JSON JWS over `generalPayload`, signed with every case's own peer key, in case order. */
  readonly general: GeneralJWS;
}

/** A token (compact string, or a JSON serialization) for the peer to verify. */
export interface VerifyItem {
  readonly id: string;
  readonly alg: string;
  readonly token: string | FlattenedJWS | GeneralJWS;
  readonly key: JWK;
}

/** The peer's verdict: the payload it verified (base64url), or why it refused. */
export interface Verdict {
  readonly ok: boolean;
  readonly payload?: string;
  readonly error?: string;
}

export interface PeerAdapter {
  /** Human name, e.g. "jwcrypto 1.1 (python3-jwcrypto)". */
  readonly name: string;
  /** Ids of the cases shared with tessera; the probe must agree (else the docs are stale). */
  readonly shared: readonly string[];
  /** How the peer reports a bad signature (its exception name, error code or exit status). */
  readonly rejection: RegExp;
  /** Throws a "peer missing" error naming the package to install. */
  require(): Promise<void>;
  produce(items: readonly ProduceItem[], generalPayload: string, probe: readonly InteropCase[]): Promise<ProduceResult>;
  verify(items: readonly VerifyItem[]): Promise<ReadonlyMap<string, Verdict>>;
}

interface CaseState {
  readonly key: TesseraKey;
  readonly item: ProduceItem;
  readonly tesseraPayload: string;
  readonly peerKeyPayload: string;
}

const id = (c: InteropCase, what: string): string => `${c.id}:${what}`;

function withCase<T>(c: InteropCase, step: string, fn: () => Promise<T>): Promise<T> {
  return fn().catch((err: unknown) => {
    throw new Error(`${c.id}: ${step} failed`, { cause: err });
  });
}

/** Defines the whole suite for one peer. */
export function interopSuite(peer: PeerAdapter): void {
  const cases = ALL_CASES.filter((c) => peer.shared.includes(c.id));
  const states = new Map<string, CaseState>();
  const generalPayload = JSON.stringify({ iss: 'tessera-interop', general: true, note: 'one payload, many signatures ✓' });
  let result: ProduceResult;
  let verdicts: ReadonlyMap<string, Verdict>;

  const state = (c: InteropCase): CaseState => states.get(c.id) as CaseState;
  const produced = (c: InteropCase): Produced => {
    const p = result.produced.get(c.id);
    assert.ok(p, `${peer.name} produced nothing for ${c.id}`);
    return p;
  };
  /** Asserts the peer verified `what` and returns the payload text it saw. */
  const peerAccepted = (c: InteropCase, what: string): string => {
    const v = verdicts.get(id(c, what));
    assert.ok(v, `${peer.name} returned no verdict for ${id(c, what)}`);
    assert.equal(v.ok, true, `${peer.name} refused ${id(c, what)}: ${v.error}`);
    return text(decodeBase64URL(v.payload ?? ''));
  };

  // Set up once, lazily, from inside the tests: a setup failure (a missing peer) then fails every
  // test with its message, where a failing before() hook would only cancel them.
  let setup: Promise<void> | undefined;
  const ready = (): Promise<void> => (setup ??= prepare());

  async function prepare(): Promise<void> {
    await peer.require();
    // 1. tessera's keys, one per shared case.
    for (const c of cases) {
      const key = await withCase(c, 'tessera key generation', () => tesseraKey(c));
      const item: ProduceItem = {
        case: c,
        payload: payloadFor(c, 'peer-signs'),
        foreignPayload: payloadFor(c, 'peer-signs-with-tessera-key'),
        foreignPrivate: exportJWK(key),
      };
      states.set(c.id, { key, item, tesseraPayload: payloadFor(c, 'tessera-signs'), peerKeyPayload: payloadFor(c, 'tessera-signs-with-peer-key') });
    }
    // 2. The peer's batch: its keys, its tokens, its use of tessera's keys, and its probe.
    result = await peer.produce([...states.values()].map((s) => s.item), generalPayload, ALL_CASES);
    // 3. tessera signs, with its own keys and with the peer's imported private keys.
    const items: VerifyItem[] = [];
    const generalSigners = [];
    for (const c of cases) {
      const s = state(c);
      const p = produced(c);
      const kid = s.key.kid;
      assert.ok(kid, 'generateKey sets a thumbprint kid');
      const own = await withCase(c, 'tessera compact signing', () => signJWS(s.tesseraPayload, s.key, { protectedHeader: { typ: 'JWT', kid } }));
      const peerKey = await withCase(c, 'importing the peer private JWK', () => importJWK(p.private, { alg: c.alg }));
      const withPeerKey = await withCase(c, 'tessera signing with the peer key', () => signJWS(s.peerKeyPayload, peerKey, { protectedHeader: { typ: 'JWT' } }));
      const flat = await withCase(c, 'tessera flattened signing', () =>
        signFlattenedJWS(s.tesseraPayload, s.key, { protectedHeader: { typ: 'JWT' }, unprotectedHeader: { kid } }),
      );
      const verifyWith = verificationJWK(s.key);
      items.push(
        { id: id(c, 'compact'), alg: c.alg, token: own, key: verifyWith },
        { id: id(c, 'compact-peer-key'), alg: c.alg, token: withPeerKey, key: p.public },
        { id: id(c, 'compact-tampered'), alg: c.alg, token: tamperCompact(own), key: verifyWith },
        { id: id(c, 'flattened'), alg: c.alg, token: flat, key: verifyWith },
      );
      generalSigners.push({ key: s.key, options: { protectedHeader: { typ: 'JWT' }, unprotectedHeader: { kid } } });
    }
    const general = await signGeneralJWS(generalPayload, generalSigners);
    for (const c of cases) items.push({ id: id(c, 'general'), alg: c.alg, token: general, key: verificationJWK(state(c).key) });
    // 4. The peer's second batch: verify everything tessera made.
    verdicts = await peer.verify(items);
  }

  describe(`interop with ${peer.name}`, () => {
    test(`${peer.name} supports exactly the algorithms tested here (else update the case list and docs/interop.md)`, async () => {
      await ready();
      assert.deepEqual([...result.supported], cases.map((c) => c.id));
    });

    for (const c of cases) {
      describe(c.id, () => {
        test('compact: tessera signs, the peer verifies with the exported tessera JWK', async () => {
          await ready();
          assert.equal(peerAccepted(c, 'compact'), state(c).tesseraPayload);
        });

        test('compact: the peer signs, tessera verifies with the imported peer JWK', async () => {
          await ready();
          const p = produced(c);
          const r = await verifyJWS(p.compact, await importJWK(p.public), { algorithms: [c.alg] });
          assert.equal(text(r.payload), state(c).item.payload);
          assert.equal(r.protectedHeader.alg, c.alg);
        });

        test('compact: the peer signs with the exported tessera private JWK, tessera verifies', async () => {
          await ready();
          const r = await verifyJWS(produced(c).foreignCompact, verificationJWK(state(c).key), { algorithms: [c.alg] });
          assert.equal(text(r.payload), state(c).item.foreignPayload);
        });

        test('compact: tessera signs with the imported peer private JWK, the peer verifies', async () => {
          await ready();
          assert.equal(peerAccepted(c, 'compact-peer-key'), state(c).peerKeyPayload);
        });

        test('RFC 7638 thumbprints agree both ways', async () => {
          await ready();
          const p = produced(c);
          assert.equal(await calculateThumbprint(p.public), p.thumbprint);
          assert.equal(p.foreignThumbprint, await calculateThumbprint(state(c).key));
        });

        test('tessera rejects a peer token with a tampered signature', async () => {
          await ready();
          const p = produced(c);
          await assert.rejects(verifyJWS(tamperCompact(p.compact), await importJWK(p.public), { algorithms: [c.alg] }), {
            code: 'ERR_JWS_SIGNATURE_INVALID',
          });
        });

        test('the peer rejects a tessera token with a tampered signature', async () => {
          await ready();
          const v = verdicts.get(id(c, 'compact-tampered'));
          assert.ok(v, 'no verdict');
          assert.equal(v.ok, false, `${peer.name} accepted a tampered ${c.id} token`);
          assert.match(v.error ?? '', peer.rejection);
        });

        test('flattened JSON: tessera signs, the peer verifies', async () => {
          await ready();
          assert.equal(peerAccepted(c, 'flattened'), state(c).tesseraPayload);
        });

        test('flattened JSON: the peer signs, tessera verifies', async () => {
          await ready();
          const p = produced(c);
          const r = await verifyFlattenedJWS(p.flattened, await importJWK(p.public), { algorithms: [c.alg] });
          assert.equal(text(r.payload), state(c).item.payload);
          assert.equal(r.alg, c.alg);
        });

        test("general JSON: the peer verifies tessera's multi-signature JWS with this key", async () => {
          await ready();
          assert.equal(peerAccepted(c, 'general'), generalPayload);
        });

        test("general JSON: tessera verifies the peer's multi-signature JWS with this key", async () => {
          await ready();
          const r = await verifyGeneralJWS(result.general, await importJWK(produced(c).public), { algorithms: [c.alg] });
          assert.equal(text(r.payload), generalPayload);
          assert.equal(r.signatureIndex, cases.indexOf(c));
          assert.equal(r.alg, c.alg);
        });
      });
    }
  });
}
