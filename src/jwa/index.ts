/** Algorithms (RFC 7518, RFC 8037, RFC 8812, RFC 9864): the registry and the platform in use. */
export { JWS_ALGORITHMS, isJWSAlgorithm, jwsAlgorithmsForKey, resolveJWSAlgorithm } from './registry.js';
export type { JWSAlgorithm } from './jws-algorithm.js';
export {
  JWE_ALGORITHMS,
  JWE_ENCRYPTIONS,
  isContentEncryptionAlgorithm,
  isKeyManagementAlgorithm,
  jweAlgorithmsForKey,
  resolveContentEncryption,
  resolveKeyManagement,
} from './jwe-registry.js';
export type {
  ContentEncryption,
  EncryptedContent,
  KeyManagement,
  KeyManagementMode,
  KeyManagementParameters,
  UnwrapLimits,
  WrapInput,
  WrapResult,
} from './jwe-algorithm.js';
export { PBES2_DEFAULT_COUNT, PBES2_DEFAULT_MAX_COUNT, PBES2_MIN_COUNT } from './pbes2.js';
export type { Curve, HashName, JWK, KeyFamily, KeyKind, SignatureScheme } from './types.js';
export { TesseraKey, isTesseraKey } from './key.js';
import { platform } from '#platform';
/** Which backend this build uses: `node` (node:crypto) or `web` (WebCrypto). */
export const backend: 'node' | 'web' = platform.name;
