/**
 * Remote JWK Sets: a JWKS URL fetched, cached and refreshed the way a resource server needs it.
 *
 * The URL comes only from configuration. Nothing here reads a token's `jku`, `x5u` or `jwk`
 * (THREATS.md §4, §5). A key set is fetched when first needed, kept for its cache lifetime
 * (`Cache-Control: max-age` within bounds), refetched at most once per cooldown for tokens whose
 * key it does not hold (§7), and kept, for a bounded time, when refreshes fail.
 * `docs/remote-jwks.md` describes the behaviour in full.
 */
import { InvalidArgumentError, JWKSInvalidError, JWKSNoMatchingKeyError } from '../core/errors.js';
import type { TesseraKey } from '../jwa/key.js';
import type { JWK } from '../jwa/types.js';
import { fetchJWKS, type FetchLike, type FetchLimits } from './_jwks-fetch.js';
import { createLocalJWKSet, type KeySelector, type KeySet } from './jwks.js';

export type { FetchLike } from './_jwks-fetch.js';

/** Options of {@link createRemoteJWKSet}. Durations are in milliseconds. */
export interface RemoteJWKSetOptions {
  /** Bound on one fetch, headers and body together. Default 5,000. */
  readonly timeoutMs?: number;
  /** Longest a fetched set is used before it is refetched; caps `max-age`. Default 600,000 (10 min). */
  readonly cacheMaxAgeMs?: number;
  /** Shortest cache lifetime, whatever `max-age` (or `no-cache`) says. Default 30,000; never above cacheMaxAgeMs. */
  readonly cacheMinAgeMs?: number;
  /**
   * After a token with an unknown key triggered a refetch, no further refetch for unknown keys
   * happens within this time; a failed fetch is not retried within it either. Default 30,000.
   */
  readonly cooldownMs?: number;
  /** Largest response body accepted, counted while it streams in. Default 524,288 (512 KiB). */
  readonly maxResponseBytes?: number;
  /**
   * How long past its expiry the last good set is still used while refreshes fail. Default
   * 86,400,000 (24 h). 0 turns stale use off.
   */
  readonly staleIfErrorMs?: number;
  /** Extra request headers (e.g. a `user-agent`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch implementation. Default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  /** A cache from {@link RemoteJWKSet.export}, used without fetching while it is fresh. */
  readonly cache?: RemoteJWKSetCache | undefined;
  /** The clock, in milliseconds since the epoch. For tests; default `Date.now`. */
  readonly now?: () => number;
}

/** A remote set's cache, as JSON-serializable data (for serverless hosts that keep it between runs). */
export interface RemoteJWKSetCache {
  /** The URL it was fetched from. A cache restored for another URL is refused. */
  readonly url?: string;
  readonly jwks: { readonly keys: readonly JWK[] };
  /** When it was fetched (ms since the epoch). */
  readonly fetchedAt: number;
  /** When its cache lifetime ends (ms since the epoch). */
  readonly expiresAt: number;
}

/** Resolved settings. */
interface Settings extends FetchLimits {
  readonly cacheMaxAgeMs: number;
  readonly cacheMinAgeMs: number;
  readonly cooldownMs: number;
  readonly staleIfErrorMs: number;
  readonly now: () => number;
}

/** One fetched (or restored) set. */
interface Snapshot {
  readonly set: KeySet;
  /** The JWKS as JSON text: to tell a changed set from the same one fetched again. */
  readonly text: string;
  readonly generation: number;
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function isNoMatchingKey(err: unknown): boolean {
  return err instanceof JWKSNoMatchingKeyError;
}

/**
 * A key set behind a JWKS URL. Accepted wherever a key set is accepted by the async verify and
 * decrypt functions. Build one with {@link createRemoteJWKSet}.
 */
export class RemoteJWKSet {
  /** The JWKS URL (normalised). */
  readonly url: string;
  readonly #o: Settings;
  #snapshot: Snapshot | undefined;
  #generation = 0;
  #inflight: Promise<Snapshot> | undefined;
  #missRefetchAt = -Infinity;
  #failure: { readonly at: number; readonly error: unknown } | undefined;

  /** @internal use createRemoteJWKSet */
  constructor(url: URL, settings: Settings, cache: RemoteJWKSetCache | undefined) {
    this.url = url.href;
    this.#o = settings;
    if (cache !== undefined) this.#restore(cache);
  }

  /**
   * Increments whenever the set of keys changes (a first load, or a fetch with different
   * content), so caches of verified tokens can drop what older keys vouched for.
   */
  get generation(): number {
    return this.#generation;
  }

  /** True when a set is cached and its cache lifetime has not run out. */
  get fresh(): boolean {
    const s = this.#snapshot;
    return s !== undefined && this.#o.now() < s.expiresAt;
  }

  /**
   * The current key set: the cached one while fresh, else fetched (concurrent callers share one
   * request). When the fetch fails, the last good set is returned for up to `staleIfErrorMs` past
   * its expiry.
   * @example
   * const keys = await createRemoteJWKSet('https://issuer.example/jwks').getKeySet();
   * @throws ERR_JWKS_FETCH_FAILED, ERR_JWKS_TIMEOUT, ERR_JWKS_TOO_LARGE, ERR_JWKS_INVALID,
   *   ERR_JWKS_PRIVATE_MEMBER
   */
  async getKeySet(): Promise<KeySet> {
    return (await this.#current()).snapshot.set;
  }

  /**
   * The one key matching the selector, refetching once (cooldown permitting) when none does.
   * @example
   * const key = await remote.getKey({ kid: 'k1', use: 'sig' });
   * @throws as {@link getKeySet}, ERR_JWKS_NO_MATCHING_KEY, ERR_JWKS_MULTIPLE_MATCHING_KEYS
   */
  async getKey(selector: KeySelector): Promise<TesseraKey> {
    return this.withKeySet((set) => set.getKey(selector));
  }

  /**
   * Fetches now, whatever the cache and cooldown say (joining a fetch already under way).
   * A failure leaves the last good set in place.
   * @example
   * await remote.reload(); // e.g. on a key-rotation webhook
   * @throws as {@link getKeySet}, without the stale fallback
   */
  async reload(): Promise<KeySet> {
    return (await this.#refresh()).set;
  }

  /**
   * The cache as JSON-serializable data, or undefined before the first load.
   * @example
   * await store.put('jwks', JSON.stringify(remote.export()));
   * const again = createRemoteJWKSet(url, { cache: JSON.parse(await store.get('jwks')) });
   */
  export(): RemoteJWKSetCache | undefined {
    const s = this.#snapshot;
    if (s === undefined) return undefined;
    return {
      url: this.url,
      jwks: JSON.parse(s.text) as { keys: JWK[] },
      fetchedAt: s.fetchedAt,
      expiresAt: s.expiresAt,
    };
  }

  /**
   * The cached set, for synchronous callers, which cannot fetch.
   * @example
   * await remote.getKeySet();                   // once, asynchronously
   * verifyJWSSync(token, remote.keySetSync());  // later, while the cache is fresh
   * @throws ERR_INVALID_ARGUMENT when no fresh set is cached
   */
  keySetSync(): KeySet {
    const s = this.#snapshot;
    if (s === undefined || this.#o.now() >= s.expiresAt) {
      throw new InvalidArgumentError('remote key sets need the async API unless a fresh set is cached');
    }
    return s.set;
  }

  /**
   * Runs `use` on the current set; when it fails with a miss (by default ERR_JWKS_NO_MATCHING_KEY)
   * and this call did not fetch already, refetches once, cooldown permitting, and runs it again.
   * This is how verify and decrypt resolve keys.
   * @example
   * const entries = await remote.withKeySet((set) => set.select({ kid }));
   * @throws what `use` throws, and as {@link getKeySet}
   */
  async withKeySet<T>(use: (set: KeySet) => T | Promise<T>, isMiss: (err: unknown) => boolean = isNoMatchingKey): Promise<T> {
    const { snapshot, fetched } = await this.#current();
    try {
      return await use(snapshot.set);
    } catch (err) {
      // A set fetched for this very call is as fresh as it gets: fetching again would not help.
      if (fetched || !isMiss(err)) throw err;
      const next = await this.#refetchForMiss(snapshot);
      if (next === undefined || next.generation === snapshot.generation) throw err;
      return use(next.set);
    }
  }

  async #current(): Promise<{ snapshot: Snapshot; fetched: boolean }> {
    const now = this.#o.now();
    const s = this.#snapshot;
    if (s !== undefined && now < s.expiresAt) return { snapshot: s, fetched: false };
    const failure = this.#failure;
    if (this.#inflight === undefined && failure !== undefined && now < failure.at + this.#o.cooldownMs) {
      // SECURITY: a failed refresh is not retried within the cooldown, so token traffic cannot
      // become a stream of requests to a failing JWKS host.
      return { snapshot: this.#fallback(failure.error, now), fetched: true };
    }
    try {
      return { snapshot: await this.#refresh(), fetched: true };
    } catch (err) {
      return { snapshot: this.#fallback(err, this.#o.now()), fetched: true };
    }
  }

  /** Stale-if-error: the last good set, within its bound; else the error. */
  #fallback(error: unknown, now: number): Snapshot {
    const s = this.#snapshot;
    // SECURITY: bounded, so keys the issuer withdrew stop working within a known time even
    // while its JWKS URL is unreachable.
    if (s !== undefined && now < s.expiresAt + this.#o.staleIfErrorMs) return s;
    throw error;
  }

  async #refetchForMiss(used: Snapshot): Promise<Snapshot | undefined> {
    const current = this.#snapshot;
    // A newer set arrived since this call looked: try it before asking the network.
    if (current !== undefined && current.generation !== used.generation) return current;
    if (this.#inflight !== undefined) return this.#inflight.catch(() => undefined);
    const now = this.#o.now();
    // SECURITY (THREATS.md §7): one refetch for unknown keys per cooldown, whatever the traffic.
    if (now < this.#missRefetchAt + this.#o.cooldownMs) return undefined;
    if (this.#failure !== undefined && now < this.#failure.at + this.#o.cooldownMs) return undefined;
    this.#missRefetchAt = now;
    return this.#refresh().catch(() => undefined);
  }

  /** Single flight: concurrent callers share one request. */
  #refresh(): Promise<Snapshot> {
    if (this.#inflight === undefined) {
      const p = this.#load();
      this.#inflight = p;
      const clear = (): void => {
        if (this.#inflight === p) this.#inflight = undefined;
      };
      p.then(clear, clear);
    }
    return this.#inflight;
  }

  async #load(): Promise<Snapshot> {
    try {
      const fetched = await fetchJWKS(this.url, this.#o);
      // A JSON string would otherwise be parsed a second time by createLocalJWKSet.
      if (typeof fetched.jwks !== 'object' || fetched.jwks === null) throw new JWKSInvalidError('a JWKS must be a JSON object');
      const set = createLocalJWKSet(fetched.jwks);
      const at = this.#o.now();
      return this.#install(fetched.jwks, set, at, at + this.#lifetime(fetched.maxAgeSeconds));
    } catch (err) {
      this.#failure = { at: this.#o.now(), error: err };
      throw err;
    }
  }

  /** RFC 9111 §4.2.1: the server's freshness lifetime, held within [cacheMinAgeMs, cacheMaxAgeMs]. */
  #lifetime(maxAgeSeconds: number | undefined): number {
    const max = this.#o.cacheMaxAgeMs;
    if (maxAgeSeconds === undefined) return max;
    return Math.min(max, Math.max(Math.min(this.#o.cacheMinAgeMs, max), maxAgeSeconds * 1000));
  }

  #install(jwks: unknown, set: KeySet, fetchedAt: number, expiresAt: number): Snapshot {
    const text = JSON.stringify(jwks);
    const prev = this.#snapshot;
    const same = prev !== undefined && prev.text === text;
    if (!same) this.#generation++;
    const snapshot: Snapshot = Object.freeze({
      set: same ? prev.set : set,
      text,
      generation: this.#generation,
      fetchedAt,
      expiresAt,
    });
    this.#snapshot = snapshot;
    this.#failure = undefined;
    return snapshot;
  }

  #restore(cache: RemoteJWKSetCache): void {
    if (typeof cache !== 'object' || cache === null) throw new InvalidArgumentError('"cache" must be an exported cache object');
    const { url, jwks, fetchedAt, expiresAt } = cache;
    if (url !== undefined && url !== this.url) throw new InvalidArgumentError('"cache" was exported from another URL');
    if (typeof jwks !== 'object' || jwks === null) throw new InvalidArgumentError('"cache.jwks" must be a JWKS object');
    if (!Number.isFinite(fetchedAt) || !Number.isFinite(expiresAt) || expiresAt < fetchedAt) {
      throw new InvalidArgumentError('"cache.fetchedAt" and "cache.expiresAt" must be times with fetchedAt ≤ expiresAt');
    }
    const set = createLocalJWKSet(jwks);
    // SECURITY: a restored cache lives no longer than a fetch under these options would have.
    const cap = this.#o.cacheMaxAgeMs;
    this.#install(jwks, set, fetchedAt, Math.min(expiresAt, fetchedAt + cap, this.#o.now() + cap));
  }
}

function isLoopback(hostname: string): boolean {
  // The WHATWG URL parser has already canonicalised IPv4 (127.1 → 127.0.0.1) and IPv6 (brackets).
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function checkURL(input: unknown): URL {
  if (typeof input !== 'string' && !(input instanceof URL)) throw new InvalidArgumentError('the JWKS URL must be a string or a URL');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new InvalidArgumentError('the JWKS URL is not a valid absolute URL');
  }
  if (url.username !== '' || url.password !== '') throw new InvalidArgumentError('the JWKS URL must not carry credentials');
  // SECURITY: keys fetched over plain HTTP could be swapped by anyone on the path; only a
  // loopback server (tests, a local sidecar) is exempt.
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return url;
  throw new InvalidArgumentError('the JWKS URL must be https: (http: only for loopback hosts)');
}

function duration(options: RemoteJWKSetOptions, name: keyof RemoteJWKSetOptions, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new InvalidArgumentError(`"${name}" must be a number from ${min} to ${max}`);
  }
  return v;
}

function settings(options: RemoteJWKSetOptions): Settings {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  const headers = options.headers === undefined ? {} : options.headers;
  if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw new InvalidArgumentError('"headers" must be an object of strings');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new InvalidArgumentError('"fetch" must be a function');
  if (options.now !== undefined && typeof options.now !== 'function') throw new InvalidArgumentError('"now" must be a function');
  const maxResponseBytes = duration(options, 'maxResponseBytes', 512 * 1024, 1);
  if (!Number.isInteger(maxResponseBytes)) throw new InvalidArgumentError('"maxResponseBytes" must be an integer');
  return {
    timeoutMs: duration(options, 'timeoutMs', 5_000, 1, MAX_TIMER_MS),
    cacheMaxAgeMs: duration(options, 'cacheMaxAgeMs', 600_000, 0),
    cacheMinAgeMs: duration(options, 'cacheMinAgeMs', 30_000, 0),
    cooldownMs: duration(options, 'cooldownMs', 30_000, 0),
    staleIfErrorMs: duration(options, 'staleIfErrorMs', 86_400_000, 0),
    maxResponseBytes,
    headers: { ...headers },
    // Looked up at call time, and called unbound: browsers refuse fetch with a foreign `this`.
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    now: options.now ?? Date.now,
  };
}

/**
 * Creates a key set backed by a JWKS URL. Nothing is fetched until a key is first needed (or
 * `reload()` is called). The URL must be `https:` (`http:` only for loopback hosts).
 * Verifies (through verify): the token's key is one the URL serves. Does NOT: read `jku`, `x5u`
 * or an embedded `jwk` from tokens, follow redirects, or accept private keys in the set.
 * @example
 * const jwks = createRemoteJWKSet('https://issuer.example/.well-known/jwks.json');
 * const { payload } = await verifyJWS(token, jwks, { algorithms: ['ES256'] });
 * @throws ERR_INVALID_ARGUMENT (URL, options, cache), ERR_JWKS_INVALID and ERR_JWKS_PRIVATE_MEMBER
 *   (a restored cache)
 */
export function createRemoteJWKSet(url: string | URL, options: RemoteJWKSetOptions = {}): RemoteJWKSet {
  const parsed = checkURL(url);
  return new RemoteJWKSet(parsed, settings(options), options.cache);
}

/** True when `value` is a remote key set. */
export function isRemoteJWKSet(value: unknown): value is RemoteJWKSet {
  return value instanceof RemoteJWKSet;
}
