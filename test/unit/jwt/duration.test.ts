/** The duration grammar: an integer and one unit of s, m, h, d, w; or a number of seconds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../../src/jwt/duration.ts';

test('valid durations', () => {
  const cases: Array<[number | string, number]> = [
    [0, 0],
    [90, 90],
    [1.5, 1.5],
    ['0s', 0],
    ['30s', 30],
    ['15m', 900],
    ['2h', 7200],
    ['7d', 604800],
    ['1w', 604800],
    ['0001h', 3600],
  ];
  for (const [input, seconds] of cases) assert.equal(parseDuration(input), seconds, String(input));
});

test('anything else → ERR_INVALID_ARGUMENT', () => {
  const bad: unknown[] = [
    '15', '15 m', ' 15m', '15m ', '15M', '1.5h', '-5m', '+5m', '5 minutes', '1 hour', '1y', '1ms', 'm', '', '15mm',
    '12345678901s', // more than 10 digits
    '9999999999w', // beyond year 9999 in seconds
    -1, Number.NaN, Number.POSITIVE_INFINITY, 1e12, null, undefined, true, {}, [], 10n,
  ];
  for (const input of bad) assert.throws(() => parseDuration(input), { code: 'ERR_INVALID_ARGUMENT' }, String(input));
});
