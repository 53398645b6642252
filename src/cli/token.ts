/**
 * Telling serializations apart (compact, flattened JSON, general JSON) before handing a token to
 * the library, and the claim flags shared by sign, seal, verify and open.
 */
import type { JWTClaimOptions, JWTClaims, JWTValidationOptions } from '../index.js';
import { list, str, flag, type FlagSpec, type Parsed } from './args.js';
import { CliError } from './io.js';

export type Detected =
  | { readonly form: 'compact'; readonly kind: 'jws' | 'jwe'; readonly token: string }
  | { readonly form: 'flattened' | 'general'; readonly kind: 'jws' | 'jwe'; readonly text: string; readonly json: Record<string, unknown> };

const COMPACT = /^[A-Za-z0-9_\-=+/]*(?:\.[A-Za-z0-9_\-=+/]*)+$/;

/**
 * Classifies the input. Text that is neither a compact token (3 or 5 dot-separated parts) nor a
 * JSON object shaped like a JWS or JWE is not a token at all: an input error (exit 2). A token
 * that merely fails to decode is left to the library (exit 1).
 */
export function detect(text: string): Detected {
  if (text === '') throw new CliError('ERR_INPUT_INVALID', 'no token on input (give a file argument or pipe it to stdin)');
  if (text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError('ERR_INPUT_INVALID', 'the input starts like JSON but is not JSON: not a token');
    }
    const o = json as Record<string, unknown>;
    if ('signatures' in o) return { form: 'general', kind: 'jws', text, json: o };
    if ('signature' in o) return { form: 'flattened', kind: 'jws', text, json: o };
    if ('recipients' in o) return { form: 'general', kind: 'jwe', text, json: o };
    if ('ciphertext' in o) return { form: 'flattened', kind: 'jwe', text, json: o };
    throw new CliError('ERR_INPUT_INVALID', 'the input is JSON but neither a JWS nor a JWE serialization');
  }
  const parts = text.split('.').length;
  if (!COMPACT.test(text) || (parts !== 3 && parts !== 5)) {
    throw new CliError('ERR_INPUT_INVALID', 'the input is not a token (expected a compact JWS/JWE or its JSON serialization)');
  }
  return { form: 'compact', kind: parts === 3 ? 'jws' : 'jwe', token: text };
}

/** Flags that make `sign` and `seal` produce a JWT. */
export const CLAIM_FLAGS: FlagSpec = {
  iss: { type: 'string' },
  sub: { type: 'string' },
  aud: { type: 'string', multiple: true },
  exp: { type: 'string' },
  nbf: { type: 'string' },
  jti: { type: 'boolean' },
};

/** Flags that validate a JWT's claims in `verify` and `open`. */
export const VALIDATION_FLAGS: FlagSpec = {
  iss: { type: 'string' },
  aud: { type: 'string', multiple: true },
  typ: { type: 'string' },
  'max-age': { type: 'string' },
  'clock-tolerance': { type: 'string' },
};

/** A duration flag: "15m" stays a string for the library to check; digits are seconds. */
function duration(v: string): string | number {
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** The signing claim options from the flags, or undefined when no claim flag was given. */
export function claimOptions(p: Parsed): JWTClaimOptions | undefined {
  const o: { -readonly [K in keyof JWTClaimOptions]: JWTClaimOptions[K] } = {};
  const iss = str(p, 'iss');
  const sub = str(p, 'sub');
  const aud = list(p, 'aud');
  const exp = str(p, 'exp');
  const nbf = str(p, 'nbf');
  if (iss !== undefined) o.issuer = iss;
  if (sub !== undefined) o.subject = sub;
  if (aud !== undefined) o.audience = aud.length === 1 ? (aud[0] as string) : aud;
  if (exp !== undefined) o.expiresIn = duration(exp);
  if (nbf !== undefined) {
    // An ISO date is absolute; a duration is relative to now (RFC 7519 §4.1.5 nbf).
    if (/^\d{4}-\d\d-\d\d/.test(nbf)) {
      const d = new Date(nbf);
      if (Number.isNaN(d.getTime())) throw new CliError('ERR_USAGE', '--nbf is neither a duration (5m) nor an ISO date');
      o.notBefore = d;
    } else o.notBefore = duration(nbf);
  }
  if (flag(p, 'jti')) o.jti = true;
  return Object.keys(o).length === 0 ? undefined : o;
}

/** The claim validation options from the flags (empty when none was given). */
export function validationOptions(p: Parsed): JWTValidationOptions {
  const o: { -readonly [K in keyof JWTValidationOptions]: JWTValidationOptions[K] } = {};
  const iss = str(p, 'iss');
  const aud = list(p, 'aud');
  const typ = str(p, 'typ');
  const maxAge = str(p, 'max-age');
  const tolerance = str(p, 'clock-tolerance');
  if (iss !== undefined) o.issuer = iss;
  if (aud !== undefined) o.audience = aud;
  if (typ !== undefined) o.typ = typ;
  if (maxAge !== undefined) o.maxTokenAge = duration(maxAge);
  if (tolerance !== undefined) o.clockTolerance = duration(tolerance);
  return o;
}

/** Parses the input as the claims of a JWT: a JSON object, or an input error. */
export function parseClaims(bytes: Uint8Array): JWTClaims {
  const text = new TextDecoder().decode(bytes).trim();
  let v: unknown;
  try {
    v = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new CliError('ERR_INPUT_INVALID', 'with claim flags the input must be a JSON object of claims, and it is not JSON');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CliError('ERR_INPUT_INVALID', 'with claim flags the input must be a JSON object of claims');
  return v as JWTClaims;
}

/** Parses a --header JSON object. */
export function headerFlag(p: Parsed): Record<string, unknown> {
  const h = str(p, 'header');
  if (h === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(h);
  } catch {
    throw new CliError('ERR_USAGE', '--header must be a JSON object');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CliError('ERR_USAGE', '--header must be a JSON object');
  return v as Record<string, unknown>;
}

/** A compact JWS as flattened or general JSON (RFC 7515 §7.2): the same bytes, another layout. */
export function jwsAsJSON(compact: string, form: 'flattened' | 'general'): string {
  const [protectedB64, payload, signature] = compact.split('.');
  if (form === 'flattened') return JSON.stringify({ payload, protected: protectedB64, signature });
  return JSON.stringify({ payload, signatures: [{ protected: protectedB64, signature }] });
}

/** A compact JWE as flattened or general JSON (RFC 7516 §7.2); without `aad` the tag is the same. */
export function jweAsJSON(compact: string, form: 'flattened' | 'general'): string {
  const [protectedB64, ek, iv, ciphertext, tag] = compact.split('.');
  const key = ek === '' ? {} : { encrypted_key: ek };
  if (form === 'flattened') return JSON.stringify({ protected: protectedB64, ...key, iv, ciphertext, tag });
  return JSON.stringify({ protected: protectedB64, recipients: [key], iv, ciphertext, tag });
}

/** Whether verified payload bytes are a JSON object (then the token is treated as a JWT). */
export function isJSONObject(bytes: Uint8Array): boolean {
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}
