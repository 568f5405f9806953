/**
 * Which shard an image belongs to: a function of its content hash and the shard count alone.
 *
 * The hash's first 52 bits, read as a point in [0, 1), fall into one of n equal ranges. Adding
 * or removing images never moves the others; and doubling n splits each shard in two, so a
 * cache chunk of a 2-shard plan still covers exactly shards 1–2 of the 4-shard one.
 */
import { InputError } from '../errors.js';

/** A shard as the CLI and the matrix write it: 1-based index and count, "2/4". */
export interface Shard {
  index: number;
  count: number;
}

/** Most shards a plan or `--shard` takes: GitHub runs at most 256 jobs per matrix. */
export const MAX_SHARDS = 256;

/** The 1-based shard of `sha256` among `count`. */
export function shardOf(sha256: string, count: number): number {
  const point = parseInt(sha256.slice(0, 13), 16) / 2 ** 52;
  return Math.min(count, Math.floor(point * count) + 1);
}

export function inShard(sha256: string, shard: Shard): boolean {
  return shardOf(sha256, shard.count) === shard.index;
}

/** Parses "i/n" (e.g. from `--shard` or a matrix entry). */
export function parseShard(text: string, option = 'shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new InputError(`--${option} must be i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, e.g. 1/2, got "${text}".`, option);
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
