/**
 * The key object every tessera operation takes.
 *
 * SECURITY: a key is bound to one family (oct, RSA, EC, OKP) and, when known, one curve and one
 * algorithm, at import. The registry checks that binding before any primitive runs, so a public
 * RSA or EC key can never be used as an HMAC secret whatever form it arrived in (THREATS.md §2).
 */
import type { ImportedKey } from './platform/types.js';
import type { Curve, JWK, KeyFamily, KeyKind } from './types.js';

/** Metadata a caller may bind to a key at import. */
export interface KeyBinding {
  /** The only algorithm this key may be used with. */
  readonly alg?: string | undefined;
  readonly kid?: string | undefined;
  /** RFC 7517 §4.2 `use`: `sig` or `enc`. */
  readonly use?: string | undefined;
  /** RFC 7517 §4.3 `key_ops`. */
  readonly key_ops?: readonly string[] | undefined;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * An imported key: family, curve, size and usage are fixed for its lifetime.
 * Create one with `importJWK`, `importPEM`, `importSecret`, `importKey` or `generateKey`.
 */
export class TesseraKey {
  /** RFC 7517 `kty`. */
  readonly family: KeyFamily;
  /** `secret` for oct keys, else `public` or `private`. */
  readonly kind: KeyKind;
  /** The curve of an EC or OKP key. */
  readonly crv: Curve | undefined;
  /** Modulus bits (RSA), key bits (oct) or field bits (EC/OKP). */
  readonly bits: number;
  /** The one algorithm this key is bound to, if any. */
  readonly alg: string | undefined;
  readonly kid: string | undefined;
  readonly use: string | undefined;
  readonly keyOps: readonly string[] | undefined;
  /** @internal the platform handle and full JWK. Never expose: it holds private members. */
  readonly imported: ImportedKey;
  #publicKey: TesseraKey | undefined;

  /** @internal use the import functions. */
  constructor(imported: ImportedKey, family: KeyFamily, crv: Curve | undefined, bits: number, binding: KeyBinding) {
    this.imported = imported;
    this.family = family;
    this.crv = crv;
    this.bits = bits;
    const jwk = imported.jwk;
    this.kind = family === 'oct' ? 'secret' : jwk.d !== undefined || imported.isPrivate === true ? 'private' : 'public';
    this.alg = binding.alg;
    this.kid = binding.kid;
    this.use = binding.use;
    this.keyOps = binding.key_ops ? Object.freeze([...binding.key_ops]) : undefined;
    Object.freeze(this);
  }

  /** @internal cached public counterpart, set once by the jwk layer. */
  static setPublic(key: TesseraKey, pub: TesseraKey): void {
    key.#publicKey = pub;
  }

  /** @internal */
  static getPublic(key: TesseraKey): TesseraKey | undefined {
    return key.#publicKey;
  }

  /** The public JWK members (no private ones), with binding metadata. */
  toPublicJWK(): JWK {
    const out: JWK = { kty: this.family };
    const src = this.imported.jwk;
    if (this.family === 'oct') throw new TypeError('a secret key has no public form');
    for (const m of ['crv', 'x', 'y', 'n', 'e'] as const) if (src[m] !== undefined) out[m] = src[m];
    this.#addBinding(out);
    return out;
  }

  /** The full JWK, private members included. Handle with care. */
  toPrivateJWK(): JWK {
    const src = this.imported.jwk;
    const out: JWK = { kty: this.family };
    for (const m of ['crv', 'x', 'y', 'n', 'e', ...PRIVATE_MEMBERS] as const) if (src[m] !== undefined) (out as Record<string, unknown>)[m] = src[m];
    this.#addBinding(out);
    return out;
  }

  #addBinding(out: JWK): void {
    if (this.kid !== undefined) out.kid = this.kid;
    if (this.alg !== undefined) out.alg = this.alg;
    if (this.use !== undefined) out.use = this.use;
    if (this.keyOps !== undefined) out.key_ops = [...this.keyOps];
  }
}

/** True when `value` is a tessera key. */
export function isTesseraKey(value: unknown): value is TesseraKey {
  return value instanceof TesseraKey;
}
