/**
 * Shared pieces of the JWT unit tests: keys made with node:crypto (independent of the backend
 * under test), raw token builders that bypass tessera's claim checks (so a test can hand the
 * verifier exactly the bad claims it must refuse), and the list of verify entry points.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { platform } from '#platform';
import { JWTClaimInvalidError } from '../../../src/core/errors.ts';
import { signJWS } from '../../../src/jws/compact.ts';
import type { JWSHeader, VerifyKey } from '../../../src/jws/types.ts';
import {
  createJWTVerifier,
  createJWTVerifierSync,
  verifyJWT,
  verifyJWTSync,
  type JWTVerifierOptions,
  type JWTVerifyOptions,
} from '../../../src/jwt/index.ts';
import { testKeyPair } from '../../helpers/keys.ts';

export const SECRET = new Uint8Array(randomBytes(32));
export const OTHER_SECRET = new Uint8Array(randomBytes(32));
export const ec = testKeyPair('P-256');
export const b64u = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');
export const unb64u = (s: string): string => Buffer.from(s, 'base64url').toString('utf8');

/** A fixed "now" for the claim tests: 2030-01-01T00:00:00Z. */
export const NOW = 1893456000;
export const AT = new Date(NOW * 1000);

/** An HS256 JWT over exactly this payload text, signed by the JWS layer (no claim checks). */
export function rawJWT(payload: string, header: JWSHeader = {}, key: Uint8Array = SECRET): Promise<string> {
  return signJWS(payload, key, { alg: 'HS256', protectedHeader: header });
}

/** An HS256 JWT over these claims (JSON.stringify), with no claim checks at all. */
export function claimsJWT(claims: Record<string, unknown>, header: JWSHeader = {}): Promise<string> {
  return rawJWT(JSON.stringify(claims), header);
}

type Entry = (token: string, key: VerifyKey, options: JWTVerifyOptions) => Promise<unknown>;

/** Every verify entry point; the Sync ones only where the backend has them. */
export const ENTRIES: Array<[string, Entry]> = [
  ['verifyJWT', (t, k, o) => verifyJWT(t, k, o)],
  ['createJWTVerifier().verify', async (t, k, o) => (await createJWTVerifier(k, o)).verify(t)],
  ['createJWTVerifier({ cache }).verify', async (t, k, o) => (await createJWTVerifier(k, { ...o, cache: true } as JWTVerifierOptions)).verify(t)],
];
if (platform.syncSupported) {
  ENTRIES.push(
    ['verifyJWTSync', async (t, k, o) => verifyJWTSync(t, k, o)],
    ['createJWTVerifierSync().verifySync', async (t, k, o) => createJWTVerifierSync(k, o).verifySync(t)],
    ['createJWTVerifier({ cache }).verifySync', async (t, k, o) => (await createJWTVerifier(k, { ...o, cache: true })).verifySync(t)],
  );
}

/** What a failing verification must show. */
export interface Expected {
  readonly code: string;
  readonly claim?: string;
  readonly reason?: string;
}

function matches(err: unknown, e: Expected): boolean {
  const x = err as { code?: unknown; claim?: unknown; reason?: unknown };
  assert.equal(x.code, e.code);
  if (e.claim !== undefined) assert.equal(x.claim, e.claim);
  if (e.reason !== undefined) assert.equal(x.reason, e.reason);
  if (e.code === 'ERR_JWT_CLAIM_INVALID') assert.ok(err instanceof JWTClaimInvalidError);
  return true;
}

/** Asserts that every entry point rejects the token the same way (code, and claim and reason). */
export async function rejectsEverywhere(token: string, key: VerifyKey, options: JWTVerifyOptions, expected: Expected): Promise<void> {
  for (const [name, entry] of ENTRIES) {
    await assert.rejects(entry(token, key, options), (err) => matches(err, expected), name);
  }
}

/** Asserts that every entry point accepts the token; returns the payload of the first. */
export async function acceptsEverywhere(token: string, key: VerifyKey, options: JWTVerifyOptions): Promise<Record<string, unknown>> {
  let first: Record<string, unknown> | undefined;
  for (const [, entry] of ENTRIES) {
    const r = (await entry(token, key, options)) as { payload: Record<string, unknown> };
    first ??= r.payload;
  }
  return first as Record<string, unknown>;
}

/** Runs `fn` with Date.now() returning `seconds` (since the epoch); restores it afterwards. */
export async function atTime<T>(seconds: number, fn: () => Promise<T> | T): Promise<T> {
  const real = Date.now;
  Date.now = () => seconds * 1000;
  try {
    return await fn();
  } finally {
    Date.now = real;
  }
}

/** Asserts that a Sync function throws ERR_SYNC_UNSUPPORTED (on WebCrypto), or runs `check` (Node). */
export async function syncOrUnsupported(fn: () => unknown, check: (value: unknown) => void | Promise<void>): Promise<void> {
  if (!platform.syncSupported) {
    assert.throws(fn, { code: 'ERR_SYNC_UNSUPPORTED' });
    return;
  }
  await check(fn());
}
