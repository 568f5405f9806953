/**
 * Option values as every command parses them, each rule stated once: an error names the option
 * and the value it got, and says what it takes.
 */
import { InputError } from '../core/errors.js';

/** A number option; `whole` asks for an integer, `positive` for one above 0. Absent: `fallback`. */
export function numberOption(value: string | undefined, name: string, fallback: number, rule: { whole?: boolean; positive?: boolean } = {}): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (rule.whole && !Number.isInteger(n)) || (rule.positive && n <= 0)) {
    throw new InputError(`--${name} must be a ${rule.whole ? 'whole ' : ''}number${rule.positive ? ' above 0' : ''}, got "${value}".`, name);
  }
  return n;
}

/** One of `allowed`; absent: the first. */
export function choiceOption<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T {
  const picked = (value ?? allowed[0]) as T;
  if (!allowed.includes(picked)) throw new InputError(`--${name} must be one of ${allowed.join(', ')}, got "${value}".`, name);
  return picked;
}
