/**
 * A minimal, strict DER reader: just enough of X.690 to learn which algorithm a SubjectPublicKeyInfo
 * (RFC 5280 §4.1.2.7), a PKCS#8 PrivateKeyInfo (RFC 5208 §5, RFC 5958 §2) or an X.509 certificate
 * (RFC 5280 §4.1) is for, and to cut the SubjectPublicKeyInfo out of a certificate.
 *
 * Private to the platform folder: the WebCrypto backend needs it because `importKey` must be told
 * the algorithm before it parses the key. No crypto here, only tag-length-value parsing; the
 * platform parses the key itself again on import.
 *
 * SECURITY: every length is checked against its container before use; indefinite lengths,
 * non-minimal lengths, high tag numbers and trailing bytes are refused, so a truncated or padded
 * input fails here rather than in a platform parser (THREATS.md §26).
 */
import { KeyInvalidError } from '../../core/errors.js';

/** X.690 §8.1.2 universal tags we read (with the constructed bit where it applies). */
const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** One tag-length-value element: `start` is its first byte, `body`..`end` its contents. */
interface Element {
  readonly tag: number;
  readonly start: number;
  readonly body: number;
  readonly end: number;
}

/** The parameters of an AlgorithmIdentifier (RFC 5280 §4.1.1.2), as far as key import cares. */
export type AlgorithmParameters =
  | { readonly kind: 'absent' }
  | { readonly kind: 'null' }
  | { readonly kind: 'oid'; readonly oid: string }
  | { readonly kind: 'other' };

/** An AlgorithmIdentifier: the key algorithm OID (dotted) and its parameters (e.g. an EC namedCurve). */
export interface KeyAlgorithmIdentifier {
  readonly oid: string;
  readonly parameters: AlgorithmParameters;
}

function malformed(what: string): never {
  throw new KeyInvalidError(`malformed DER: ${what}`);
}

/** Reads consecutive elements between `pos` and `end` of `bytes`. */
class Reader {
  readonly #bytes: Uint8Array;
  #pos: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = end;
  }

  /** Reads the inside of a constructed element. */
  static inside(bytes: Uint8Array, el: Element): Reader {
    return new Reader(bytes, el.body, el.end);
  }

  get done(): boolean {
    return this.#pos === this.#end;
  }

  /** The tag of the next element, or undefined at the end. */
  peekTag(): number | undefined {
    return this.done ? undefined : this.#bytes[this.#pos];
  }

  /** Reads the next element; throws when it does not fit in what is left. */
  next(): Element {
    const bytes = this.#bytes;
    const start = this.#pos;
    let p = start;
    if (p >= this.#end) malformed('unexpected end of data');
    const tag = bytes[p++] as number;
    // X.690 §8.1.2.4: tag number 31 announces a multi-byte tag, which none of these structures use.
    if ((tag & 0x1f) === 0x1f) malformed('high tag numbers are not supported');
    if (p >= this.#end) malformed('missing length');
    const first = bytes[p++] as number;
    let length: number;
    if (first < 0x80) {
      length = first;
    } else {
      const count = first & 0x7f;
      // X.690 §10.1: DER uses the definite form only (0x80 is the indefinite form).
      if (count === 0) malformed('indefinite length');
      if (count > 4) malformed('length too large');
      if (p + count > this.#end) malformed('truncated length');
      // X.690 §10.1: the minimum number of length octets; no leading zero, no long form below 128.
      if (bytes[p] === 0) malformed('non-minimal length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[p++] as number);
      if (length < 0x80) malformed('non-minimal length');
    }
    if (length > this.#end - p) malformed('length exceeds the data');
    this.#pos = p + length;
    return { tag, start, body: p, end: p + length };
  }

  /** Reads the next element and checks its tag. */
  expect(tag: number, what: string): Element {
    const el = this.next();
    if (el.tag !== tag) malformed(`expected ${what}`);
    return el;
  }

  /** Throws unless every byte was consumed. */
  finish(what: string): void {
    if (!this.done) malformed(`trailing data after ${what}`);
  }
}

/** The single element that `bytes` must consist of, exactly (no trailing bytes). */
function only(bytes: Uint8Array, tag: number, what: string): Element {
  const r = new Reader(bytes, 0, bytes.length);
  const el = r.expect(tag, what);
  r.finish(what);
  return el;
}

/** X.690 §8.19: an OBJECT IDENTIFIER's contents in dotted form. */
function decodeOID(bytes: Uint8Array, el: Element): string {
  if (el.end === el.body) malformed('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  let fresh = true;
  for (let i = el.body; i < el.end; i++) {
    const b = bytes[i] as number;
    // X.690 §8.19.2: each subidentifier in the fewest octets, so never a leading 0x80.
    if (fresh && b === 0x80) malformed('non-minimal OBJECT IDENTIFIER');
    if (value > 0x1_ffff_ffff) malformed('OBJECT IDENTIFIER arc too large');
    value = value * 128 + (b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      if (arcs.length === 0) {
        // X.690 §8.19.4: the first subidentifier packs the first two arcs.
        const top = value < 40 ? 0 : value < 80 ? 1 : 2;
        arcs.push(top, value - top * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  if (!fresh) malformed('truncated OBJECT IDENTIFIER');
  return arcs.join('.');
}

/** RFC 5280 §4.1.1.2: AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
function readAlgorithmIdentifier(bytes: Uint8Array, el: Element): KeyAlgorithmIdentifier {
  const r = Reader.inside(bytes, el);
  const oid = decodeOID(bytes, r.expect(TAG.OID, 'an algorithm OBJECT IDENTIFIER'));
  let parameters: AlgorithmParameters = { kind: 'absent' };
  if (!r.done) {
    const p = r.next();
    if (p.tag === TAG.NULL) {
      // X.690 §8.8.2: NULL has no contents.
      if (p.end !== p.body) malformed('NULL with contents');
      parameters = { kind: 'null' };
    } else if (p.tag === TAG.OID) {
      parameters = { kind: 'oid', oid: decodeOID(bytes, p) };
    } else {
      parameters = { kind: 'other' };
    }
  }
  r.finish('AlgorithmIdentifier');
  return { oid, parameters };
}

/** Checks a SubjectPublicKeyInfo element and returns its algorithm. */
function readSPKIElement(bytes: Uint8Array, el: Element): KeyAlgorithmIdentifier {
  // RFC 5280 §4.1: SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  const r = Reader.inside(bytes, el);
  const algorithm = readAlgorithmIdentifier(bytes, r.expect(TAG.SEQUENCE, 'an AlgorithmIdentifier'));
  const key = r.expect(TAG.BIT_STRING, 'a BIT STRING public key');
  // X.690 §8.6.2: the first content octet counts unused bits; a key is whole octets.
  if (key.end === key.body || bytes[key.body] !== 0) malformed('public key BIT STRING is not whole octets');
  r.finish('SubjectPublicKeyInfo');
  return algorithm;
}

/**
 * The algorithm of a DER SubjectPublicKeyInfo.
 * @throws ERR_KEY_INVALID when the DER is malformed or truncated
 */
export function readSPKIAlgorithm(der: Uint8Array): KeyAlgorithmIdentifier {
  return readSPKIElement(der, only(der, TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
}

/**
 * The algorithm of a DER PKCS#8 PrivateKeyInfo / OneAsymmetricKey.
 * @throws ERR_KEY_INVALID when the DER is malformed or truncated
 */
export function readPKCS8Algorithm(der: Uint8Array): KeyAlgorithmIdentifier {
  // RFC 5958 §2: OneAsymmetricKey ::= SEQUENCE { version, privateKeyAlgorithm, privateKey OCTET STRING,
  //   attributes [0] IMPLICIT OPTIONAL, ..., publicKey [1] IMPLICIT BIT STRING OPTIONAL }
  const r = Reader.inside(der, only(der, TAG.SEQUENCE, 'PrivateKeyInfo'));
  const version = r.expect(TAG.INTEGER, 'a version INTEGER');
  // RFC 5958 §2: v1 (0) or v2 (1), which DER encodes as one octet.
  if (version.end - version.body !== 1 || (der[version.body] as number) > 1) malformed('unsupported PKCS#8 version');
  const algorithm = readAlgorithmIdentifier(der, r.expect(TAG.SEQUENCE, 'an AlgorithmIdentifier'));
  r.expect(TAG.OCTET_STRING, 'an OCTET STRING private key');
  if (r.peekTag() === 0xa0) r.next();
  if (r.peekTag() === 0x81) r.next();
  r.finish('PrivateKeyInfo');
  return algorithm;
}

/**
 * The DER SubjectPublicKeyInfo inside a DER X.509 certificate (a view, not a copy).
 * @throws ERR_KEY_INVALID when the DER is malformed or truncated
 */
export function extractCertificateSPKI(der: Uint8Array): Uint8Array {
  // RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  const cert = Reader.inside(der, only(der, TAG.SEQUENCE, 'Certificate'));
  const tbs = cert.expect(TAG.SEQUENCE, 'a TBSCertificate');
  cert.expect(TAG.SEQUENCE, 'a signature AlgorithmIdentifier');
  cert.expect(TAG.BIT_STRING, 'a signature BIT STRING');
  cert.finish('Certificate');

  // RFC 5280 §4.1: TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber,
  //   signature, issuer, validity, subject, subjectPublicKeyInfo, [1], [2], [3] extensions }
  const r = Reader.inside(der, tbs);
  if (r.peekTag() === 0xa0) r.next();
  r.expect(TAG.INTEGER, 'a serial number');
  r.expect(TAG.SEQUENCE, 'a signature AlgorithmIdentifier');
  r.expect(TAG.SEQUENCE, 'an issuer Name');
  r.expect(TAG.SEQUENCE, 'a Validity');
  r.expect(TAG.SEQUENCE, 'a subject Name');
  const spki = r.expect(TAG.SEQUENCE, 'a SubjectPublicKeyInfo');
  // The optional unique identifiers and extensions, in their order; nothing else may follow.
  // DER (X.690 §10.2) encodes the BIT STRING identifiers primitive, so [1] and [2] are 0x81 and 0x82.
  for (const tag of [0x81, 0x82, 0xa3]) if (r.peekTag() === tag) r.next();
  r.finish('TBSCertificate');

  readSPKIElement(der, spki);
  return der.subarray(spki.start, spki.end);
}

/**
 * Checks the DER structure of a key or certificate without interpreting its algorithm.
 * @throws ERR_KEY_INVALID when the DER is malformed, truncated or has trailing bytes
 */
export function assertKeyDER(kind: 'spki' | 'pkcs8' | 'x509', der: Uint8Array): void {
  if (kind === 'x509') extractCertificateSPKI(der);
  else if (kind === 'spki') readSPKIAlgorithm(der);
  else readPKCS8Algorithm(der);
}
