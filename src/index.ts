/**
 * tessera: JSON Web Tokens done right. The library's one public door.
 * @example
 * import { generateKey, signJWS, verifyJWS, exportJWK } from 'tessera';
 * const key = await generateKey('ES256');
 * const token = await signJWS('hello', key);
 * const { payload } = await verifyJWS(token, exportJWK(key, { public: true }));
 */
export * from './core/index.js';
export * from './jwk/index.js';
export * from './jws/index.js';
export * from './jwe/index.js';
export * from './jwt/index.js';
export { JWS_ALGORITHMS, backend } from './jwa/index.js';
export { JWE_ALGORITHMS, JWE_ENCRYPTIONS } from './jwa/index.js';
