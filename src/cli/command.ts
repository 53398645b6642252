/** The shape of one `tessera` command. */
import type { IO } from './io.js';

export interface Command {
  readonly name: string;
  /** One line for `tessera --help`. */
  readonly summary: string;
  /** Full help, with an example. */
  readonly help: string;
  /** Whether the command checks a token (then the exit-code table applies; see exit-codes.ts). */
  readonly checksToken: boolean;
  run(argv: readonly string[], io: IO): Promise<0 | 1 | 2>;
}
