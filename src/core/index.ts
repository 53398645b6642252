/** The foundation: errors, strict base64url and JSON. */
export * from './errors.js';
export { decodeBase64URL, encodeBase64URL } from './base64url.js';
export { parseJSONObject, parseJSONObjectText, isJSONObject, type JSONObject } from './json.js';
