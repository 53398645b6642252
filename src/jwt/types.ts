/** Public option and result types of the JWT layer (RFC 7519, RFC 8725). */
import type { TesseraKey } from '../jwa/key.js';
import type { KeyInput } from '../jwk/import.js';
import type { DecryptKey, DecryptOptions, EncryptOptions, JWEHeader } from '../jwe/types.js';
import type { JWSLimits, SignOptions, VerifiedJWSHeader, VerifyKey, VerifyOptions } from '../jws/types.js';
import type { JWTClaims } from './claims.js';
import type { JWTProfile, JWTProfileName } from './typ.js';

/** A duration: seconds, or a string such as `"30s"`, `"15m"`, `"2h"`, `"7d"`, `"1w"` (see docs/jwt.md). */
export type Duration = number | string;

/** Checks run on a claims set after the signature verifies (or the JWE decrypts). */
export interface JWTValidationOptions {
  /** Accepted issuers: `iss` must equal one exactly. Implies `iss` is required. */
  readonly issuer?: string | readonly string[];
  /** Required subject: `sub` must equal it exactly. Implies `sub` is required. */
  readonly subject?: string;
  /** Accepted audiences: `aud` must contain at least one. Implies `aud` is required. */
  readonly audience?: string | readonly string[];
  /** Leeway for `exp`, `nbf`, `iat` and `maxTokenAge`. Default 0. */
  readonly clockTolerance?: Duration;
  /** Oldest accepted token, measured from `iat`. Implies `iat` is required. */
  readonly maxTokenAge?: Duration;
  /** Claims that must be present. */
  readonly requiredClaims?: readonly string[];
  /** The time to validate at, instead of now (for tests). */
  readonly currentDate?: Date;
  /** Required `typ` header (RFC 8725 §3.11), compared case-insensitively, `application/` optional. */
  readonly typ?: string;
  /** A token profile: its `typ`, required claims and required options (see {@link JWT_PROFILES}). */
  readonly profile?: JWTProfileName | JWTProfile;
}

/** Options for verifying a signed JWT: the JWS options (no detached payload) and the claim checks. */
export interface JWTVerifyOptions extends Omit<VerifyOptions, 'payload'>, JWTValidationOptions {}

/** Options for decrypting an encrypted JWT: the JWE options and the claim checks. */
export interface JWTDecryptOptions extends DecryptOptions, JWTValidationOptions {}

/** Claims a producer adds (each refuses a claim the claims set already has). */
export interface JWTClaimOptions {
  /** Sets `iss`. */
  readonly issuer?: string;
  /** Sets `sub`. */
  readonly subject?: string;
  /** Sets `aud`. */
  readonly audience?: string | readonly string[];
  /** Sets `exp` to now plus this duration. */
  readonly expiresIn?: Duration;
  /** Sets `nbf`: a Date is absolute; a number (seconds) or duration string is relative to now. */
  readonly notBefore?: Duration | Date;
  /** Sets `jti`: `true` draws 128 random bits (base64url), a string is used as is. */
  readonly jti?: true | string;
  /** Sets `iat` to now unless the claims carry one. Default true. */
  readonly iat?: boolean;
  /** The time to issue at, instead of now (for tests). */
  readonly currentDate?: Date;
  /** The `typ` header. */
  readonly typ?: string;
  /** A token profile: sets its `typ` and checks its required claims are present. */
  readonly profile?: JWTProfileName | JWTProfile;
}

/** Options for signing a JWT: the JWS options (always base64url, never detached) and the claim options. */
export interface JWTSignOptions extends Omit<SignOptions, 'b64' | 'detached'>, JWTClaimOptions {}

/** Claims that RFC 7519 §5.3 lets a JWE header replicate. */
export type ReplicableClaim = 'iss' | 'sub' | 'aud';

/** Options for encrypting a JWT: the JWE options and the claim options. */
export interface JWTEncryptOptions extends EncryptOptions, JWTClaimOptions {
  /** Claims to copy into the JWE protected header (RFC 7519 §5.3). */
  readonly replicate?: readonly ReplicableClaim[];
}

/** A verified JWT. */
export interface JWTVerifyResult {
  /** The claims set, validated. */
  readonly payload: JWTClaims;
  /** The verified protected header. */
  readonly protectedHeader: VerifiedJWSHeader;
  /** The key that verified the signature. */
  readonly key: TesseraKey;
}

/** A decrypted and validated JWT. */
export interface JWTDecryptResult {
  readonly payload: JWTClaims;
  /** The JWE protected header. */
  readonly protectedHeader: JWEHeader;
  /** The key that decrypted. */
  readonly key: TesseraKey;
}

/** The signing half of a nested JWT. */
export interface NestedSignPart {
  readonly signKey: KeyInput;
  readonly signOptions?: JWTSignOptions;
}

/** The encrypting half of a nested JWT. */
export interface NestedEncryptPart {
  readonly encryptKey: KeyInput;
  readonly encryptOptions: EncryptOptions;
  /** Claims to copy into the JWE protected header (RFC 7519 §5.3). */
  readonly replicate?: readonly ReplicableClaim[];
}

/** The decrypting half of a nested JWT. */
export interface NestedDecryptPart {
  readonly decryptKey: DecryptKey;
  readonly decryptOptions?: DecryptOptions;
}

/** The verifying half of a nested JWT: the key, and the JWS and claim options for the inner token. */
export interface NestedVerifyPart {
  readonly verifyKey: VerifyKey;
  readonly verifyOptions?: JWTVerifyOptions;
}

/** A decrypted, verified and validated nested JWT. */
export interface NestedJWTResult extends JWTVerifyResult {
  /** The outer JWE protected header (with `cty: "JWT"`). */
  readonly jweHeader: JWEHeader;
  /** The key that decrypted the outer JWE. */
  readonly decryptionKey: TesseraKey;
}
