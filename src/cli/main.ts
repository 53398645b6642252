/**
 * `tessera`: the command line over the library's public API. main() dispatches to one command
 * and turns every failure into one line on stderr and an exit status (see exit-codes.ts).
 */
import type { Command } from './command.js';
import { decrypt } from './commands/decrypt.js';
import { encrypt } from './commands/encrypt.js';
import { inspect } from './commands/inspect.js';
import { jwks } from './commands/jwks.js';
import { keygen } from './commands/keygen.js';
import { open } from './commands/open.js';
import { seal } from './commands/seal.js';
import { serve } from './commands/serve.js';
import { sign } from './commands/sign.js';
import { thumbprint } from './commands/thumbprint.js';
import { verify } from './commands/verify.js';
import { CliError, reportError, writeLine, type IO } from './io.js';

export const COMMANDS: readonly Command[] = [keygen, sign, verify, encrypt, decrypt, seal, open, inspect, thumbprint, jwks, serve];

const USAGE = `Usage: tessera COMMAND [options] [INPUT]

${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}

Every command reads its input from a file argument or stdin and writes to stdout, so they pipe:
  echo '{"sub":"ada"}' | tessera sign --key k.jwk --exp 5m | tessera verify --key k.pub.jwk

Exit status: 0 success; 1 the token is invalid (bad signature, expired, wrong audience, cannot
decrypt); 2 usage or input error (unknown flag, unreadable or malformed key, input that is not a
token). Errors are one line on stderr, "tessera: CODE: explanation"; with --json, a JSON object.

Run "tessera COMMAND --help" for a command's options and an example.`;

const defaultIO: IO = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Runs the command line; resolves to the exit status (never throws). */
export async function main(argv: readonly string[], io: IO = defaultIO): Promise<number> {
  const json = argv.some((a) => a === '--json' || a.startsWith('--json='));
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      writeLine(io, topic?.help ?? USAGE);
      return name === undefined ? 2 : 0;
    }
    if (command === undefined) throw new CliError('ERR_USAGE', `unknown command '${name}' (see tessera --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      writeLine(io, command.help);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    return reportError(io, err, json, command?.checksToken ?? false);
  }
}
