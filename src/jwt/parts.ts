/**
 * Telling a compact JWS (three parts) from a compact JWE (five) before anything is decoded.
 *
 * SECURITY: a JWT API accepts one kind only; a JWE handed to a verifier, or a JWS to a decrypter,
 * fails with its own code rather than being processed as something else (THREATS.md §18).
 */
import { JWEExpectedError, JWSExpectedError } from '../core/errors.js';

/** The number of dot-separated parts of a compact token (counting stops at 6). */
export function partCount(token: string): number {
  let n = 1;
  for (let i = token.indexOf('.'); i !== -1 && n < 6; i = token.indexOf('.', i + 1)) n++;
  return n;
}

/** @throws ERR_JWS_EXPECTED when `token` has the five parts of a compact JWE */
export function refuseJWE(token: unknown): void {
  if (typeof token === 'string' && partCount(token) === 5) {
    throw new JWSExpectedError('a JWE was given where a signed JWT (JWS) is expected; decrypt it instead');
  }
}

/** @throws ERR_JWE_EXPECTED when `token` has the three parts of a compact JWS */
export function refuseJWS(token: unknown): void {
  if (typeof token === 'string' && partCount(token) === 3) {
    throw new JWEExpectedError('a JWS was given where an encrypted JWT (JWE) is expected; verify it instead');
  }
}
