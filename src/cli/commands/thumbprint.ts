/** `tessera thumbprint`: a key's RFC 7638 thumbprint (or RFC 9278 URI). */
import { calculateThumbprint, calculateThumbprintURI, type ThumbprintHash } from '../../index.js';
import { flag, need, parse, str } from '../args.js';
import type { Command } from '../command.js';
import { CliError, writeLine, type IO } from '../io.js';
import { loadSingleKey } from '../keys.js';

const HELP = `Usage: tessera thumbprint --key FILE [--hash sha256|sha384|sha512] [--uri]

Prints the RFC 7638 JWK thumbprint of the key (base64url), or with --uri the RFC 9278 URI.
A private key and its public part have the same thumbprint.

Example:
  tessera thumbprint --key issuer.pub.jwk --uri`;

export const thumbprint: Command = {
  name: 'thumbprint',
  summary: 'print a key\'s JWK thumbprint (RFC 7638 / RFC 9278)',
  help: HELP,
  checksToken: false,
  async run(argv, io: IO) {
    const p = parse('thumbprint', argv, { key: { type: 'string' }, hash: { type: 'string' }, uri: { type: 'boolean' } }, 0);
    const hash = str(p, 'hash') ?? 'sha256';
    if (hash !== 'sha256' && hash !== 'sha384' && hash !== 'sha512') throw new CliError('ERR_USAGE', 'thumbprint: --hash takes sha256, sha384 or sha512');
    const key = await loadSingleKey(need('thumbprint', p, 'key'));
    const h = hash as ThumbprintHash;
    writeLine(io, flag(p, 'uri') ? await calculateThumbprintURI(key, h) : await calculateThumbprint(key, h));
    return 0;
  },
};
