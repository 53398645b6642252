// One JWT interop suite, run against each peer through a small adapter: signed, encrypted and
// nested JWTs, both directions, through every claim scenario (accepted, `at+jwt`, expired, wrong
// `aud`, wrong `iss`) and a typ confusion, with each side's own JWT validation deciding.
//
// The peer does its work in two batches (one `produce`, one `verify`), so a peer that runs as a
// subprocess costs two process starts per suite, not one per case.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createJWTVerifier,
  createNestedJWTVerifier,
  decryptAndVerifyJWT,
  decryptAndVerifyJWTSync,
  decryptJWT,
  decryptJWTSync,
  encryptJWT,
  signAndEncryptJWT,
  signJWT,
  verifyJWT,
  verifyJWTSync,
  type JWK,
  type JWTClaims,
  type JWTValidationOptions,
} from '../../../src/index.ts';
import {
  ALL_JWT_CASES,
  AUDIENCE,
  PEER_ISSUER,
  SCENARIOS,
  TESSERA_ISSUER,
  newJTI,
  scenarioClaims,
  tesseraClaimOptions,
  tesseraJWTKeys,
  type JWTInteropCase,
  type Scenario,
  type ScenarioName,
  type TesseraJWTKey,
} from './jwt-cases.ts';

/** One token the peer makes: the claims set to issue, and its `typ`. */
export interface JWTProduceToken {
  readonly scenario: ScenarioName;
  readonly typ: string;
  readonly claims: JWTClaims;
}

/** What tessera hands the peer for one case before the peer produces. */
export interface JWTProduceItem {
  readonly case: JWTInteropCase;
  /** tessera's key for the peer to encrypt to: the public JWK, or the secret for `dir` (encrypted, nested). */
  readonly encryptTo?: JWK;
  readonly tokens: readonly JWTProduceToken[];
}

/** What the peer made for one case. */
export interface JWTProduced {
  /** The peer's signing key: what a verifier gets (the public JWK, the secret for HMAC). */
  readonly signPublic?: JWK;
  /** The peer's decryption key as it exports it (private members included), and what a sender encrypts to. */
  readonly encryptPrivate?: JWK;
  readonly encryptPublic?: JWK;
  /** One token per scenario, made with the peer's JWT API: signed with its key, encrypted to tessera's. */
  readonly tokens: Readonly<Record<string, string>>;
}

/** What a verifier requires (RFC 7519 §4.1.1, §4.1.3; RFC 8725 §3.11). `exp` is always required. */
export interface JWTExpect {
  readonly issuer: string;
  readonly audience: string;
  readonly typ?: string;
}

/** A token tessera made, for the peer to verify (and decrypt) with its JWT API. */
export interface JWTVerifyItem {
  readonly id: string;
  readonly case: JWTInteropCase;
  readonly token: string;
  /** tessera's signing key, as a verifier gets it (signed, nested). */
  readonly verifyWith?: JWK;
  /** The peer's own decryption key, from its produce batch (encrypted, nested). */
  readonly decryptWith?: JWK;
  readonly expect: JWTExpect;
}

/** The peer's verdict: the claims set it validated (JSON text), or why it refused. */
export interface JWTVerdict {
  readonly ok: boolean;
  readonly claims?: string;
  /** The peer's error: its code or exception name, then `:claim` when it names one. */
  readonly error?: string;
}

export interface JWTPeerAdapter {
  /** Human name, e.g. "jwcrypto (python3-jwcrypto)". */
  readonly name: string;
  /** Ids of the cases shared with tessera. */
  readonly shared: readonly string[];
  /** How the peer reports an expired token, and a claim (or `typ`) that does not match. */
  readonly rejection: { readonly expired: RegExp; readonly claim: (claim: 'iss' | 'aud' | 'typ') => RegExp };
  /** Throws a "peer missing" error naming the package to install. */
  require(): Promise<void>;
  produce(items: readonly JWTProduceItem[]): Promise<ReadonlyMap<string, JWTProduced>>;
  verify(items: readonly JWTVerifyItem[]): Promise<ReadonlyMap<string, JWTVerdict>>;
}

interface CaseState {
  readonly sign?: TesseraJWTKey;
  readonly encrypt?: TesseraJWTKey;
  /** The claims set tessera issued per scenario. */
  readonly issued: Map<ScenarioName, JWTClaims>;
  /** The claims set the peer was asked to issue per scenario. */
  readonly asked: Map<ScenarioName, JWTClaims>;
}

const id = (c: JWTInteropCase, what: string): string => `${c.id}:${what}`;
const TYP_CONFUSION = 'typ-confusion';

function withCase<T>(c: JWTInteropCase, step: string, fn: () => Promise<T>): Promise<T> {
  return fn().catch((err: unknown) => {
    throw new Error(`${c.id}: ${step} failed`, { cause: err });
  });
}

function rejectionOf(peer: JWTPeerAdapter, s: Scenario): RegExp {
  if (s.outcome === 'accepted') throw new Error('no rejection for an accepted scenario');
  return s.outcome === 'expired' ? peer.rejection.expired : peer.rejection.claim(s.outcome.claim);
}

/** tessera's validation options for the peer's tokens of a scenario (`exp` always required). */
function validation(s: Scenario | 'typ-confusion'): JWTValidationOptions {
  const base = { issuer: PEER_ISSUER, audience: AUDIENCE, requiredClaims: ['exp'] };
  return s === TYP_CONFUSION || s.typ === 'at+jwt' ? { ...base, profile: 'at+jwt' } : base;
}

/** The error tessera must fail with on a scenario's token from the peer. */
function tesseraRejection(s: Scenario): { code: string; claim?: string; reason?: string } {
  if (s.outcome === 'accepted') throw new Error('no rejection for an accepted scenario');
  return s.outcome === 'expired' ? { code: 'ERR_JWT_EXPIRED', claim: 'exp' } : { code: 'ERR_JWT_CLAIM_INVALID', claim: s.outcome.claim, reason: 'mismatch' };
}

/** Defines the whole JWT suite for one peer. */
export function jwtInteropSuite(peer: JWTPeerAdapter): void {
  const cases = ALL_JWT_CASES.filter((c) => peer.shared.includes(c.id));
  const states = new Map<string, CaseState>();
  let produced: ReadonlyMap<string, JWTProduced>;
  let verdicts: ReadonlyMap<string, JWTVerdict>;

  const state = (c: JWTInteropCase): CaseState => states.get(c.id) as CaseState;
  const peerMade = (c: JWTInteropCase): JWTProduced => {
    const p = produced.get(c.id);
    assert.ok(p, `${peer.name} produced nothing for ${c.id}`);
    return p;
  };
  const peerToken = (c: JWTInteropCase, s: ScenarioName): string => {
    const t = peerMade(c).tokens[s];
    assert.ok(typeof t === 'string', `${peer.name} made no ${s} token for ${c.id}`);
    return t;
  };
  const verdict = (c: JWTInteropCase, what: string): JWTVerdict => {
    const v = verdicts.get(id(c, what));
    assert.ok(v, `${peer.name} returned no verdict for ${id(c, what)}`);
    return v;
  };

  /** tessera verifies (decrypts, and for nested both) a peer token of a case, one-shot async. */
  function tesseraAccepts(c: JWTInteropCase, token: string, options: JWTValidationOptions) {
    const p = peerMade(c);
    const s = state(c);
    if (c.kind === 'signed') return verifyJWT(token, p.signPublic as JWK, { algorithms: [c.sign?.alg as string], ...options });
    const decryptOptions = { algorithms: [c.encrypt?.alg as string], encryptions: [c.encrypt?.enc as string] };
    if (c.kind === 'encrypted') return decryptJWT(token, s.encrypt?.key as TesseraJWTKey['key'], { ...decryptOptions, ...options });
    return decryptAndVerifyJWT(
      token,
      { decryptKey: s.encrypt?.key as TesseraJWTKey['key'], decryptOptions },
      { verifyKey: p.signPublic as JWK, verifyOptions: { algorithms: [c.sign?.alg as string], ...options } },
    );
  }

  /** The same through the sync API and through the factories: all three must return the same claims. */
  async function tesseraOtherPaths(c: JWTInteropCase, token: string, options: JWTValidationOptions): Promise<JWTClaims[]> {
    const p = peerMade(c);
    const s = state(c);
    const signAlg = { algorithms: [c.sign?.alg as string] };
    const decryptOptions = { algorithms: [c.encrypt?.alg as string], encryptions: [c.encrypt?.enc as string] };
    const decryptKey = s.encrypt?.key as TesseraJWTKey['key'];
    if (c.kind === 'signed') {
      const v = await createJWTVerifier(p.signPublic as JWK, { ...signAlg, ...options });
      return [verifyJWTSync(token, p.signPublic as JWK, { ...signAlg, ...options }).payload, (await v.verify(token)).payload];
    }
    if (c.kind === 'encrypted') return [decryptJWTSync(token, decryptKey, { ...decryptOptions, ...options }).payload];
    const decrypt = { decryptKey, decryptOptions };
    const verify = { verifyKey: p.signPublic as JWK, verifyOptions: { ...signAlg, ...options } };
    const v = await createNestedJWTVerifier(decrypt, verify);
    return [decryptAndVerifyJWTSync(token, decrypt, verify).payload, (await v.verify(token)).payload];
  }

  /** tessera makes a scenario's token for the peer: signed with its key, encrypted to the peer's. */
  function tesseraMakes(c: JWTInteropCase, sc: Scenario, claims: JWTClaims, options: ReturnType<typeof tesseraClaimOptions>['options']): Promise<string> {
    const s = state(c);
    const p = peerMade(c);
    if (c.kind === 'signed') return signJWT(claims, s.sign?.key as TesseraJWTKey['key'], { alg: c.sign?.alg as string, ...options });
    const enc = { alg: c.encrypt?.alg as string, enc: c.encrypt?.enc as string };
    if (c.kind === 'encrypted') return encryptJWT(claims, p.encryptPublic as JWK, { ...enc, ...options });
    // RFC 7519 §5.3: `iss` replicated into the JWE header; the peer must not mind.
    return signAndEncryptJWT(
      claims,
      { signKey: s.sign?.key as TesseraJWTKey['key'], signOptions: { alg: c.sign?.alg as string, ...options } },
      { encryptKey: p.encryptPublic as JWK, encryptOptions: enc, replicate: sc.name === 'valid' ? ['iss', 'aud'] : ['iss'] },
    );
  }

  // Set up once, lazily, from inside the tests: a setup failure (a missing peer) then fails every
  // test with its message, where a failing before() hook would only cancel them.
  let setup: Promise<void> | undefined;
  const ready = (): Promise<void> => (setup ??= prepare());

  async function prepare(): Promise<void> {
    await peer.require();
    const now = Math.floor(Date.now() / 1000);
    // 1. tessera's keys, and the claims the peer is asked to issue.
    const items: JWTProduceItem[] = [];
    for (const c of cases) {
      const keys = await withCase(c, 'tessera key generation', () => tesseraJWTKeys(c));
      const asked = new Map(SCENARIOS.map((s) => [s.name, scenarioClaims(s, PEER_ISSUER, now, newJTI())] as const));
      states.set(c.id, { ...keys, issued: new Map(), asked });
      items.push({
        case: c,
        ...(keys.encrypt && { encryptTo: keys.encrypt.shared }),
        tokens: SCENARIOS.map((s) => ({ scenario: s.name, typ: s.typ, claims: asked.get(s.name) as JWTClaims })),
      });
    }
    // 2. The peer's batch: its keys and its tokens.
    produced = await peer.produce(items);
    // 3. tessera makes every scenario's token for the peer.
    const toVerify: JWTVerifyItem[] = [];
    for (const c of cases) {
      const s = state(c);
      const p = peerMade(c);
      const keys = {
        ...(s.sign && { verifyWith: s.sign.shared }),
        ...(p.encryptPrivate && { decryptWith: p.encryptPrivate }),
      };
      for (const sc of SCENARIOS) {
        const jti = newJTI();
        const { claims, options } = tesseraClaimOptions(sc, TESSERA_ISSUER, now, jti);
        const token = await withCase(c, `tessera making the ${sc.name} token`, () => tesseraMakes(c, sc, claims, options));
        s.issued.set(sc.name, scenarioClaims(sc, TESSERA_ISSUER, now, jti));
        const expect: JWTExpect = { issuer: TESSERA_ISSUER, audience: AUDIENCE, ...(sc.typ === 'at+jwt' && { typ: 'at+jwt' }) };
        toVerify.push({ id: id(c, sc.name), case: c, token, ...keys, expect });
        // RFC 8725 §3.11: a JWT-typed token where an access token (at+jwt) is required.
        if (sc.name === 'valid') toVerify.push({ id: id(c, TYP_CONFUSION), case: c, token, ...keys, expect: { ...expect, typ: 'at+jwt' } });
      }
    }
    // 4. The peer's second batch: verify everything tessera made.
    verdicts = await peer.verify(toVerify);
  }

  describe(`JWT interop with ${peer.name}`, () => {
    for (const c of cases) {
      describe(c.id, () => {
        for (const sc of SCENARIOS) {
          if (sc.outcome === 'accepted') {
            test(`${sc.name}: tessera issues, the peer verifies and gets the same claims`, async () => {
              await ready();
              const v = verdict(c, sc.name);
              assert.equal(v.ok, true, `${peer.name} refused ${id(c, sc.name)}: ${v.error}`);
              assert.deepEqual(JSON.parse(v.claims ?? 'null'), state(c).issued.get(sc.name));
            });

            test(`${sc.name}: the peer issues, tessera verifies and gets the same claims`, async () => {
              await ready();
              const token = peerToken(c, sc.name);
              const r = await tesseraAccepts(c, token, validation(sc));
              const asked = state(c).asked.get(sc.name);
              assert.deepEqual(r.payload, asked);
              assert.equal(r.protectedHeader.typ, sc.typ);
              if (sc.name === 'valid') for (const payload of await tesseraOtherPaths(c, token, validation(sc))) assert.deepEqual(payload, asked);
            });
          } else {
            test(`${sc.name}: tessera issues, the peer refuses`, async () => {
              await ready();
              const v = verdict(c, sc.name);
              assert.equal(v.ok, false, `${peer.name} accepted ${id(c, sc.name)}`);
              assert.match(v.error ?? '', rejectionOf(peer, sc));
            });

            test(`${sc.name}: the peer issues, tessera refuses (${tesseraRejection(sc).code})`, async () => {
              await ready();
              await assert.rejects(tesseraAccepts(c, peerToken(c, sc.name), validation(sc)), tesseraRejection(sc));
            });
          }
        }

        test('typ: the peer refuses a tessera JWT-typed token where at+jwt is required', async () => {
          await ready();
          const v = verdict(c, TYP_CONFUSION);
          assert.equal(v.ok, false, `${peer.name} accepted a typ JWT token as at+jwt`);
          assert.match(v.error ?? '', peer.rejection.claim('typ'));
        });

        test('typ: tessera refuses a peer JWT-typed token where at+jwt is required (ERR_JWT_TYPE_INVALID)', async () => {
          await ready();
          await assert.rejects(tesseraAccepts(c, peerToken(c, 'valid'), validation(TYP_CONFUSION)), { code: 'ERR_JWT_TYPE_INVALID' });
        });
      });
    }
  });
}
