/**
 * One bounded HTTP GET of a JWK Set: the transport rules of THREATS.md §5, private to src/jwk.
 *
 * SECURITY: redirects are never followed (`redirect: 'manual'`), the whole exchange (headers and
 * body) runs under one timeout, the body is counted while it streams in and the connection is
 * aborted as soon as it passes the cap, and only a 200 with a JSON media type is accepted.
 */
import { JWKSFetchFailedError, JWKSTimeoutError, JWKSTooLargeError } from '../core/errors.js';

/** The subset of `fetch` tessera calls. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** How one fetch is bounded. */
export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchLike;
}

/** A fetched JWKS document, parsed as JSON but not yet checked as a JWK Set. */
export interface FetchedJWKS {
  readonly jwks: unknown;
  /**
   * The response's freshness lifetime in seconds (RFC 9111 §4.2.1: `max-age` minus `Age`), 0 when
   * the response says not to reuse it, undefined when it says nothing.
   */
  readonly maxAgeSeconds: number | undefined;
}

/** RFC 7517 §8.5.1 registers application/jwk-set+json; many servers send application/json. */
const JSON_TYPES = new Set(['application/json', 'application/jwk-set+json']);

const ACCEPT = 'application/jwk-set+json, application/json;q=0.9';

/**
 * Fetches and parses a JWKS document.
 * @throws ERR_JWKS_FETCH_FAILED (network, status, redirect, content type, not UTF-8 JSON),
 *   ERR_JWKS_TIMEOUT, ERR_JWKS_TOO_LARGE
 */
export async function fetchJWKS(url: string, limits: FetchLimits): Promise<FetchedJWKS> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  try {
    const response = await request(url, limits, controller.signal, () => timedOut);
    checkResponse(response, limits.maxResponseBytes);
    const body = await readCapped(response, limits.maxResponseBytes, () => timedOut);
    return { jwks: parseBody(body), maxAgeSeconds: freshnessSeconds(response.headers) };
  } catch (err) {
    // SECURITY: whatever failed, drop the connection rather than drain an unwanted body.
    controller.abort();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function request(url: string, limits: FetchLimits, signal: AbortSignal, timedOut: () => boolean): Promise<Response> {
  try {
    return await limits.fetch(url, {
      method: 'GET',
      headers: { accept: ACCEPT, ...limits.headers },
      // SECURITY: a 3xx comes back as a response (or an opaque redirect, status 0) and fails the
      // status check below; the target is never requested (THREATS.md §5).
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    if (timedOut()) throw new JWKSTimeoutError('the JWKS request timed out', { cause: err });
    throw new JWKSFetchFailedError('the JWKS request failed', { cause: err });
  }
}

function checkResponse(response: Response, cap: number): void {
  if (response.status !== 200) {
    const redirected = (response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect';
    const what = redirected
      ? 'a redirect (redirects are not followed)'
      : `HTTP status ${response.status}`;
    throw new JWKSFetchFailedError(`the JWKS request got ${what}, not 200`);
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.has(type)) {
    throw new JWKSFetchFailedError('the JWKS response is not application/json or application/jwk-set+json');
  }
  const declared = response.headers.get('content-length');
  // A declared length over the cap fails before a byte is read; the stream count below is what
  // holds when the length is absent (chunked) or lies.
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > cap) {
    throw new JWKSTooLargeError(`the JWKS response is larger than ${cap} bytes`);
  }
}

async function readCapped(response: Response, cap: number, timedOut: () => boolean): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        // SECURITY: stop at the first chunk past the cap; fetchJWKS then aborts the connection.
        void reader.cancel().catch(() => undefined);
        throw new JWKSTooLargeError(`the JWKS response is larger than ${cap} bytes`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof JWKSTooLargeError) throw err;
    if (timedOut()) throw new JWKSTimeoutError('the JWKS response timed out', { cause: err });
    throw new JWKSFetchFailedError('reading the JWKS response failed', { cause: err });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function parseBody(body: Uint8Array): unknown {
  let text: string;
  try {
    // RFC 8259 §8.1: JSON exchanged between systems is UTF-8.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch (err) {
    throw new JWKSFetchFailedError('the JWKS response is not UTF-8', { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // A truncated body lands here too: it is not JSON, whatever cut it short.
    throw new JWKSFetchFailedError('the JWKS response is not valid JSON', { cause: err });
  }
}

/** RFC 9111 §1.2.2: delta-seconds is 1*DIGIT; §5.2: a quoted-string form is accepted too. */
function deltaSeconds(value: string): number | undefined {
  const v = value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  if (!/^\d+$/.test(v)) return undefined;
  // RFC 9111 §1.2.2: a value too large to represent is treated as 2^31.
  return Math.min(Number(v), 2 ** 31);
}

/**
 * The freshness lifetime a response grants, in seconds.
 * RFC 9111 §5.2.2: `no-store` and `no-cache` forbid reuse without revalidation, so they grant 0
 * (the caller's minimum then applies). §4.2.1: several `max-age` values make the response stale.
 * §4.2.3: the `Age` the response already has is subtracted.
 */
export function freshnessSeconds(headers: Headers): number | undefined {
  const cc = headers.get('cache-control');
  if (cc === null) return undefined;
  let maxAge: number | undefined;
  let seen = 0;
  for (const part of cc.split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = (rawName ?? '').trim().toLowerCase();
    if (name === 'no-store' || name === 'no-cache') return 0;
    if (name === 'max-age') {
      seen++;
      maxAge = deltaSeconds(rest.join('=').trim());
      // An invalid max-age makes the response stale (RFC 9111 §4.2.1).
      if (maxAge === undefined) return 0;
    }
  }
  if (seen > 1) return 0;
  if (maxAge === undefined) return undefined;
  const age = deltaSeconds((headers.get('age') ?? '').trim()) ?? 0;
  return Math.max(0, maxAge - age);
}
