/**
 * Durations for JWT options: a number of seconds, or a string of one integer and one unit.
 *
 * The grammar is deliberately small, so a typo never becomes a surprising lifetime:
 *   duration = 1*10DIGIT unit
 *   unit     = "s" / "m" / "h" / "d" / "w"      ; seconds, minutes, hours, days, weeks
 * Examples: "30s", "15m", "2h", "7d", "1w". No spaces, no signs, no fractions, no words.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { MAX_NUMERIC_DATE } from './claims.js';

const UNITS: Readonly<Record<string, number>> = Object.freeze({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 });
const GRAMMAR = /^(\d{1,10})([smhdw])$/;

/**
 * Parses a duration to seconds.
 * @example
 * parseDuration('15m'); // 900
 * parseDuration(90);    // 90
 * @throws ERR_INVALID_ARGUMENT when it is not a finite, non-negative number or does not follow the grammar
 */
export function parseDuration(value: unknown, name = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || value > MAX_NUMERIC_DATE) {
      throw new InvalidArgumentError(`${name} must be a finite, non-negative number of seconds`);
    }
    return value;
  }
  if (typeof value !== 'string') throw new InvalidArgumentError(`${name} must be a number of seconds or a string such as "15m"`);
  const m = GRAMMAR.exec(value);
  if (m === null) throw new InvalidArgumentError(`${name} must be an integer followed by s, m, h, d or w (e.g. "15m")`);
  const seconds = Number(m[1]) * (UNITS[m[2] as string] as number);
  if (seconds > MAX_NUMERIC_DATE) throw new InvalidArgumentError(`${name} is too long`);
  return seconds;
}

/** Seconds since the epoch of a date (whole seconds, as NumericDates are usually written). */
export function epochSeconds(date: Date): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new InvalidArgumentError('currentDate must be a valid Date');
  return Math.floor(ms / 1000);
}
