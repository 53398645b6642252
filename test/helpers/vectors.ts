/** Loads conformance vectors from test/vectors/data (see its README for sources). */
import { readFileSync } from 'node:fs';
import type { JWK } from '../../src/jwa/types.ts';

const DATA = new URL('../vectors/data/', import.meta.url);

/** Reads one vector file, e.g. `loadVector('rfc7520/jws/4_1.rsa_v15_signature.json')`. */
export function loadVector<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, DATA), 'utf8')) as T;
}

/** A JWS example of the RFC 7520 cookbook (compact-capable sections only). */
export interface CookbookJWS {
  readonly title: string;
  readonly input: { readonly payload: string; readonly key: JWK; readonly alg: string };
  readonly signing: {
    readonly protected: Record<string, unknown>;
    readonly protected_b64u: string;
    readonly 'sig-input': string;
    readonly sig: string;
  };
  readonly output: { readonly compact?: string; readonly json?: unknown; readonly json_flat?: unknown };
}

/** A single-signature JWS example written from an RFC appendix. */
export interface AppendixJWS {
  readonly source: string;
  readonly alg: string;
  readonly deterministic: boolean;
  readonly protected_header_utf8: string;
  readonly protected_b64u: string;
  readonly payload_utf8: string;
  readonly payload_b64u: string;
  readonly jwk?: JWK;
  readonly signature_b64u: string;
  readonly compact: string;
}

const PRIVATE = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);

/** The public members of an asymmetric JWK (RFC 7518 §6.2.1, §6.3.1, RFC 8037 §2), metadata kept. */
export function publicJWK(jwk: JWK): JWK {
  const out: JWK = { kty: jwk.kty };
  for (const [k, v] of Object.entries(jwk)) if (!PRIVATE.has(k)) out[k] = v;
  return out;
}

/** The bytes of an ASCII (or UTF-8) string, as signed by JWS. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
