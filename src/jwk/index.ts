/** Keys: RFC 7517 (JWK, JWKS), RFC 7638 and RFC 9278 (thumbprints), RFC 8037 (OKP). */
export {
  importJWK,
  importJWKSync,
  importKey,
  importKeySync,
  importPEM,
  importPEMSync,
  importSecret,
  importSecretSync,
  type ImportOptions,
  type KeyInput,
} from './import.js';
export { exportJWK, exportPEM, type ExportOptions } from './export.js';
export { generateKey, type GenerateOptions } from './generate.js';
export {
  calculateThumbprint,
  calculateThumbprintSync,
  calculateThumbprintURI,
  thumbprintInput,
  type ThumbprintHash,
} from './thumbprint.js';
export { KeySet, createLocalJWKSet, isKeySet, type KeySelector, type KeySetEntry, type KeySetOptions } from './jwks.js';
export {
  RemoteJWKSet,
  createRemoteJWKSet,
  isRemoteJWKSet,
  type FetchLike,
  type RemoteJWKSetCache,
  type RemoteJWKSetOptions,
} from './remote.js';
export { TesseraKey, isTesseraKey } from '../jwa/key.js';
export type { JWK, KeyFamily, Curve, KeyKind } from '../jwa/types.js';
