// One JWE interop suite, run against each peer through a small adapter. Both directions, every
// shared (alg, enc) pair, compact, flattened and general JSON, keys exchanged both ways, tampering
// both ways.
//
// The peer does its work in two batches (one `produce`, one `decrypt`), so a peer that runs as a
// subprocess costs two process starts per suite, not one per case.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64URL } from '../../../src/core/base64url.ts';
import {
  decryptFlattenedJWE,
  decryptGeneralJWE,
  decryptJWE,
  encryptFlattenedJWE,
  encryptGeneralJWE,
  encryptJWE,
  type DecryptOptions,
  type FlattenedJWE,
  type GeneralJWE,
  type JWK,
} from '../../../src/index.ts';
import { text } from './cases.ts';
import {
  ALL_JWE_CASES,
  password,
  plaintextFor,
  singleRecipientOnly,
  tamperCompactJWE,
  tesseraJWEKey,
  type JWEInteropCase,
  type TesseraJWEKey,
} from './jwe-cases.ts';

/** A key as the peer sees it: a JWK, or a PBES2 password (text). */
export type PeerKey = JWK | string;

/** What tessera hands the peer for one case before the peer encrypts. */
export interface JWEProduceItem {
  readonly case: JWEInteropCase;
  /** tessera's key to encrypt to: the public JWK, the secret JWK, or the password. */
  readonly encryptTo: PeerKey;
  /** Plaintext for the peer encrypting to tessera's key (compact and flattened). */
  readonly toTessera: string;
  /** Plaintext for the peer encrypting to its own key (tessera decrypts it with the peer's key). */
  readonly toSelf: string;
  /** PBES2 only: the peer's own password (not every peer can make one). */
  readonly peerPassword?: string;
}

/** One general JWE per `enc`: addressed to every multi-recipient case with that `enc`, in case order. */
export interface GeneralGroup {
  readonly enc: string;
  readonly ids: readonly string[];
  readonly plaintext: string;
}

/** What the peer made for one case. */
export interface JWEProduced {
  /** The peer's own key, as the peer exports it (private members included), or its password. */
  readonly private: PeerKey;
  /** What a sender encrypts to: the public JWK, the secret, or the password. */
  readonly public: PeerKey;
  /** Encrypted by the peer to tessera's key, over `toTessera`. */
  readonly compact: string;
  /** Flattened JSON, encrypted by the peer to tessera's key, over `toTessera`. */
  readonly flattened: FlattenedJWE;
  /** Encrypted by the peer to its own key, over `toSelf`. */
  readonly selfCompact: string;
}

export interface JWEProduceResult {
  /** Ids from ALL_JWE_CASES that the peer can encrypt and decrypt on its own. */
  readonly supported: readonly string[];
  readonly produced: ReadonlyMap<string, JWEProduced>;
  /** By `enc`: the peer's general JWE to tessera's keys of the group, recipients in group order. */
  readonly general: Readonly<Record<string, GeneralJWE>>;
}

/** A JWE (compact string, or a JSON serialization) for the peer to decrypt. */
export interface DecryptItem {
  readonly id: string;
  readonly alg: string;
  readonly enc: string;
  readonly token: string | FlattenedJWE | GeneralJWE;
  readonly key: PeerKey;
}

/** The peer's verdict: the plaintext it recovered (base64url), or why it refused. */
export interface JWEVerdict {
  readonly ok: boolean;
  readonly plaintext?: string;
  readonly error?: string;
}

export interface JWEPeerAdapter {
  /** Human name, e.g. "jwcrypto 1.1 (python3-jwcrypto)". */
  readonly name: string;
  /** Ids of the cases shared with tessera; the probe must agree (else the docs are stale). */
  readonly shared: readonly string[];
  /** How the peer reports a JWE that does not decrypt (its exception name, error code or exit status). */
  readonly rejection: RegExp;
  /** The largest PBES2 `p2c` the peer uses when it encrypts (tessera's maxPBES2Count must admit it). */
  readonly pbes2Count: number;
  /** Throws a "peer missing" error naming the package to install. */
  require(): Promise<void>;
  produce(items: readonly JWEProduceItem[], groups: readonly GeneralGroup[], probe: readonly JWEInteropCase[]): Promise<JWEProduceResult>;
  decrypt(items: readonly DecryptItem[]): Promise<ReadonlyMap<string, JWEVerdict>>;
}

interface CaseState {
  readonly key: TesseraJWEKey;
  readonly item: JWEProduceItem;
  /** What tessera encrypts to the peer's key (compact, flattened). */
  readonly toPeer: string;
  /** What tessera encrypts to its own key, for the peer to decrypt with the exported key. */
  readonly withTesseraKey: string;
}

const id = (c: JWEInteropCase, what: string): string => `${c.id}:${what}`;

/** A key for tessera's functions: a password becomes its UTF-8 bytes. */
function tesseraInput(key: PeerKey): JWK | Uint8Array {
  return typeof key === 'string' ? new TextEncoder().encode(key) : key;
}

function withCase<T>(c: JWEInteropCase, step: string, fn: () => Promise<T>): Promise<T> {
  return fn().catch((err: unknown) => {
    throw new Error(`${c.id}: ${step} failed`, { cause: err });
  });
}

/** Defines the whole JWE suite for one peer. */
export function jweInteropSuite(peer: JWEPeerAdapter): void {
  const cases = ALL_JWE_CASES.filter((c) => peer.shared.includes(c.id));
  const states = new Map<string, CaseState>();
  // One general JWE per enc, to every case of that enc that allows several recipients.
  const groups: GeneralGroup[] = [];
  for (const c of cases) {
    if (singleRecipientOnly(c)) continue;
    let g = groups.find((x) => x.enc === c.enc);
    if (g === undefined) {
      g = { enc: c.enc, ids: [], plaintext: JSON.stringify({ iss: 'tessera-interop', general: c.enc, note: 'one ciphertext, many recipients ✓' }) };
      groups.push(g);
    }
    (g.ids as string[]).push(c.id);
  }
  const groupOf = (c: JWEInteropCase): GeneralGroup | undefined => groups.find((g) => g.ids.includes(c.id));
  let result: JWEProduceResult;
  let verdicts: ReadonlyMap<string, JWEVerdict>;

  const state = (c: JWEInteropCase): CaseState => states.get(c.id) as CaseState;
  const produced = (c: JWEInteropCase): JWEProduced => {
    const p = result.produced.get(c.id);
    assert.ok(p, `${peer.name} produced nothing for ${c.id}`);
    return p;
  };
  /** tessera's decryption options: the case pinned, the peer's PBES2 count admitted. */
  const options = (c: JWEInteropCase): DecryptOptions => ({
    algorithms: [c.alg],
    encryptions: [c.enc],
    maxPBES2Count: Math.max(10_000, peer.pbes2Count),
  });
  /** Asserts the peer decrypted `what` and returns the plaintext it recovered. */
  const peerDecrypted = (c: JWEInteropCase, what: string): string => {
    const v = verdicts.get(id(c, what));
    assert.ok(v, `${peer.name} returned no verdict for ${id(c, what)}`);
    assert.equal(v.ok, true, `${peer.name} refused ${id(c, what)}: ${v.error}`);
    return text(decodeBase64URL(v.plaintext ?? ''));
  };

  // Set up once, lazily, from inside the tests: a setup failure (a missing peer) then fails every
  // test with its message, where a failing before() hook would only cancel them.
  let setup: Promise<void> | undefined;
  const ready = (): Promise<void> => (setup ??= prepare());

  async function prepare(): Promise<void> {
    await peer.require();
    // 1. tessera's keys, one per shared case.
    for (const c of cases) {
      const key = await withCase(c, 'tessera key generation', () => tesseraJWEKey(c));
      const item: JWEProduceItem = {
        case: c,
        encryptTo: key.encryptTo,
        toTessera: plaintextFor(c, 'peer-encrypts-to-tessera'),
        toSelf: plaintextFor(c, 'peer-encrypts-to-itself'),
        ...(c.key.kty === 'password' && { peerPassword: password() }),
      };
      states.set(c.id, { key, item, toPeer: plaintextFor(c, 'tessera-encrypts-to-peer'), withTesseraKey: plaintextFor(c, 'tessera-encrypts-to-itself') });
    }
    // 2. The peer's batch: its keys, its JWEs to tessera's keys and to its own, and its probe.
    result = await peer.produce([...states.values()].map((s) => s.item), groups, ALL_JWE_CASES);
    // 3. tessera encrypts to the peer's keys, and to its own for the peer to decrypt with the exported key.
    const items: DecryptItem[] = [];
    for (const c of cases) {
      const s = state(c);
      const p = produced(c);
      const base = { alg: c.alg, enc: c.enc };
      const toPeer = await withCase(c, 'tessera compact encryption', () => encryptJWE(s.toPeer, tesseraInput(p.public), base));
      const own = await withCase(c, 'tessera encryption to its own key', () => encryptJWE(s.withTesseraKey, tesseraInput(s.key.encryptTo), base));
      const flat = await withCase(c, 'tessera flattened encryption', () =>
        encryptFlattenedJWE(s.toPeer, tesseraInput(p.public), { ...base, protectedHeader: { cty: 'json' } }),
      );
      items.push(
        { id: id(c, 'compact'), ...base, token: toPeer, key: p.private },
        { id: id(c, 'compact-tessera-key'), ...base, token: own, key: s.key.exported },
        { id: id(c, 'compact-tampered'), ...base, token: tamperCompactJWE(toPeer), key: p.private },
        { id: id(c, 'flattened'), ...base, token: flat, key: p.private },
      );
    }
    for (const g of groups) {
      const members = g.ids.map((i) => cases.find((c) => c.id === i) as JWEInteropCase);
      const general = await encryptGeneralJWE(
        g.plaintext,
        members.map((c) => ({ key: tesseraInput(produced(c).public), alg: c.alg })),
        { enc: g.enc },
      );
      for (const c of members) items.push({ id: id(c, 'general'), alg: c.alg, enc: c.enc, token: general, key: produced(c).private });
    }
    // 4. The peer's second batch: decrypt everything tessera made.
    verdicts = await peer.decrypt(items);
  }

  describe(`JWE interop with ${peer.name}`, () => {
    test(`${peer.name} supports exactly the JWE cases tested here (else update the case list and docs/interop.md)`, async () => {
      await ready();
      assert.deepEqual([...result.supported], cases.map((c) => c.id));
    });

    for (const c of cases) {
      describe(c.id, () => {
        test("compact: tessera encrypts to the peer's key, the peer decrypts", async () => {
          await ready();
          assert.equal(peerDecrypted(c, 'compact'), state(c).toPeer);
        });

        test("compact: the peer encrypts to tessera's key, tessera decrypts", async () => {
          await ready();
          const r = await decryptJWE(produced(c).compact, state(c).key.decrypt, options(c));
          assert.equal(text(r.plaintext), state(c).item.toTessera);
          assert.equal(r.protectedHeader.alg, c.alg);
          assert.equal(r.protectedHeader.enc, c.enc);
        });

        test("keys: the peer decrypts with tessera's exported key", async () => {
          await ready();
          assert.equal(peerDecrypted(c, 'compact-tessera-key'), state(c).withTesseraKey);
        });

        test("keys: tessera decrypts with the peer's own key", async () => {
          await ready();
          const r = await decryptJWE(produced(c).selfCompact, tesseraInput(produced(c).private), options(c));
          assert.equal(text(r.plaintext), state(c).item.toSelf);
        });

        test('tessera rejects a peer JWE with a tampered ciphertext (ERR_JWE_DECRYPTION_FAILED)', async () => {
          await ready();
          await assert.rejects(decryptJWE(tamperCompactJWE(produced(c).compact), state(c).key.decrypt, options(c)), {
            code: 'ERR_JWE_DECRYPTION_FAILED',
          });
        });

        test('the peer rejects a tessera JWE with a tampered ciphertext', async () => {
          await ready();
          const v = verdicts.get(id(c, 'compact-tampered'));
          assert.ok(v, 'no verdict');
          assert.equal(v.ok, false, `${peer.name} accepted a tampered ${c.id} JWE`);
          assert.match(v.error ?? '', peer.rejection);
        });

        test('flattened JSON: tessera encrypts, the peer decrypts', async () => {
          await ready();
          assert.equal(peerDecrypted(c, 'flattened'), state(c).toPeer);
        });

        test('flattened JSON: the peer encrypts, tessera decrypts', async () => {
          await ready();
          const r = await decryptFlattenedJWE(produced(c).flattened, state(c).key.decrypt, options(c));
          assert.equal(text(r.plaintext), state(c).item.toTessera);
        });

        const g = groupOf(c);
        if (g !== undefined) {
          test(`general JSON (${g.ids.length} recipients): the peer decrypts tessera's JWE with this key`, async () => {
            await ready();
            assert.equal(peerDecrypted(c, 'general'), g.plaintext);
          });

          test(`general JSON (${g.ids.length} recipients): tessera decrypts the peer's JWE with this key`, async () => {
            await ready();
            const general = result.general[g.enc];
            assert.ok(general, `${peer.name} made no general JWE for ${g.enc}`);
            const r = await decryptGeneralJWE(general, state(c).key.decrypt, options(c));
            assert.equal(text(r.plaintext), g.plaintext);
            assert.equal(r.recipientIndex, g.ids.indexOf(c.id));
          });
        }
      });
    }
  });
}
