/** Algorithms (RFC 7518, RFC 8037, RFC 8812, RFC 9864): the registry and the platform in use. */
export { JWS_ALGORITHMS, isJWSAlgorithm, jwsAlgorithmsForKey, resolveJWSAlgorithm } from './registry.js';
export type { JWSAlgorithm } from './jws-algorithm.js';
export type { Curve, HashName, JWK, KeyFamily, KeyKind, SignatureScheme } from './types.js';
export { TesseraKey, isTesseraKey } from './key.js';
import { platform } from '#platform';
/** Which backend this build uses: `node` (node:crypto) or `web` (WebCrypto). */
export const backend: 'node' | 'web' = platform.name;
