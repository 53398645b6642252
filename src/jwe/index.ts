/** Encrypted tokens: RFC 7516 (JWE), with the algorithms of RFC 7518 §4–5 and RFC 8037. */
export { decryptJWE, decryptJWESync, encryptJWE, encryptJWESync, parseCompactJWE } from './compact.js';
export { decryptFlattenedJWE, decryptFlattenedJWESync, encryptFlattenedJWE, encryptFlattenedJWESync, parseFlattenedJWE } from './flattened.js';
export { decryptGeneralJWE, decryptGeneralJWESync, encryptGeneralJWE, encryptGeneralJWESync, parseGeneralJWE } from './general.js';
export {
  createDecrypter,
  createDecrypterSync,
  createEncrypter,
  createEncrypterSync,
  type Decrypter,
  type Encrypter,
} from './factories.js';
export type {
  FlattenedJWE,
  GeneralDecryptResult,
  GeneralEncryptOptions,
  GeneralJWE,
  GeneralRecipient,
  JSONEncryptOptions,
  JWERecipientJSON,
} from './json-common.js';
export type { ParsedJWE, ParsedRecipient } from './decrypt.js';
export type {
  DecryptKey,
  DecryptKeyResolver,
  DecryptOptions,
  DecryptResult,
  EncryptOptions,
  JWEHeader,
  JWELimits,
} from './types.js';
