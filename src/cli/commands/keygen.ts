/** `tessera keygen ALG`: a new key for any JWS or JWE algorithm. */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { exportJWK, exportPEM, generateKey, type Curve, type GenerateOptions, type TesseraKey } from '../../index.js';
import { flag, parse, str } from '../args.js';
import type { Command } from '../command.js';
import { CliError, writeLine, type IO } from '../io.js';

const HELP = `Usage: tessera keygen ALG [--kid ID] [--crv CRV] [--bits N] [--out FILE] [--public-out FILE] [--format jwk|pem] [--force]

Generates a key for ALG (any JWS algorithm, any JWE key-management algorithm, or an enc such as
A256GCM for a "dir" key). The private key (a JWK with alg, kid and use) goes to --out, written
with mode 0600, or to stdout; its public part to --public-out. An existing file is never
overwritten without --force. The kid defaults to the key's RFC 7638 thumbprint.

  --kid ID           the key id
  --crv CRV          the curve, for EdDSA (Ed25519, Ed448) and ECDH-ES (P-256, P-384, P-521, X25519, X448)
  --bits N           RSA modulus length (default 2048, never less)
  --out FILE         write the private key here (mode 0600) instead of stdout
  --public-out FILE  write the public key here (not for secret keys)
  --format jwk|pem   JWK (default) or PEM (PKCS#8 / SPKI; not for secret keys)
  --force            overwrite existing files

Example:
  tessera keygen ES256 --out issuer.jwk --public-out issuer.pub.jwk`;

/** Writes a file, refusing to replace one unless forced; private files get mode 0600. */
function writeKeyFile(path: string, text: string, mode: number, force: boolean): void {
  try {
    writeFileSync(path, text, { mode, flag: force ? 'w' : 'wx' });
    // SECURITY: with --force the file may already exist with a looser mode; writeFileSync keeps it.
    chmodSync(path, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CliError('ERR_FILE_EXISTS', `'${path}' exists: refusing to overwrite it without --force`);
    throw new CliError('ERR_FILE_UNREADABLE', `cannot write '${path}': ${code ?? 'error'}`);
  }
}

async function render(key: TesseraKey, format: 'jwk' | 'pem', pub: boolean): Promise<string> {
  if (format === 'pem') return exportPEM(key, { public: pub });
  return `${JSON.stringify(exportJWK(key, { public: pub }), null, 2)}\n`;
}

export const keygen: Command = {
  name: 'keygen',
  summary: 'generate a key (private JWK or PEM, and its public part)',
  help: HELP,
  checksToken: false,
  async run(argv, io: IO) {
    const p = parse('keygen', argv, {
      kid: { type: 'string' },
      crv: { type: 'string' },
      bits: { type: 'string' },
      out: { type: 'string' },
      'public-out': { type: 'string' },
      format: { type: 'string' },
      force: { type: 'boolean' },
    }, 1);
    const alg = p.positionals[0];
    if (alg === undefined) throw new CliError('ERR_USAGE', 'keygen: the algorithm is required (e.g. tessera keygen ES256)');
    const format = str(p, 'format') ?? 'jwk';
    if (format !== 'jwk' && format !== 'pem') throw new CliError('ERR_USAGE', 'keygen: --format takes jwk or pem');
    const options: { -readonly [K in keyof GenerateOptions]: GenerateOptions[K] } = {};
    const kid = str(p, 'kid');
    const crv = str(p, 'crv');
    const bits = str(p, 'bits');
    if (kid !== undefined) options.kid = kid;
    if (crv !== undefined) options.crv = crv as Curve;
    if (bits !== undefined) {
      if (!/^\d+$/.test(bits)) throw new CliError('ERR_USAGE', 'keygen: --bits takes a number');
      options.modulusLength = Number(bits);
    }
    const key = await generateKey(alg, options);
    const out = str(p, 'out');
    const publicOut = str(p, 'public-out');
    if (key.family === 'oct' && (publicOut !== undefined || format === 'pem')) {
      throw new CliError('ERR_USAGE', `keygen: ${alg} makes a secret key: it has no public part and no PEM form`);
    }
    const force = flag(p, 'force');
    const privateText = await render(key, format, false);
    // Both refusals before either write, so a refusal leaves no half-written pair behind.
    for (const path of [out, publicOut]) {
      if (path !== undefined && !force && existsSync(path)) throw new CliError('ERR_FILE_EXISTS', `'${path}' exists: refusing to overwrite it without --force`);
    }
    if (publicOut !== undefined) writeKeyFile(publicOut, await render(key, format, true), 0o644, force);
    if (out !== undefined) writeKeyFile(out, privateText, 0o600, force);
    else writeLine(io, privateText);
    return 0;
  },
};
