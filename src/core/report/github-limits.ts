/**
 * GitHub's size limits, stated once, and the budgets the report keeps inside them. The
 * report fits itself to its budget; the action adds its lines (the comment's hidden marker,
 * the artifact link, notes) within the room left, and cuts as a last resort at GitHub's limit.
 */

/** A comment body: GitHub refuses longer ones (HTTP 422). */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;
/** A step's job summary: 1 MiB of UTF-8. */
export const GITHUB_SUMMARY_MAX_BYTES = 1024 * 1024;

/** The most the action adds around the report: marker, footer, notes. */
export const ACTION_ADDITIONS_MAX_CHARS = 1_024;

/** How big a rendered Markdown text may be, and how its size is counted. */
export interface SizeLimit {
  max: number;
  unit: 'chars' | 'bytes';
}

/** The report's budget for the PR comment. */
export const COMMENT_LIMIT: SizeLimit = { max: GITHUB_COMMENT_MAX_CHARS - ACTION_ADDITIONS_MAX_CHARS, unit: 'chars' };
/** The report's budget for the job summary; a character is at most 4 bytes of UTF-8. */
export const SUMMARY_LIMIT: SizeLimit = { max: GITHUB_SUMMARY_MAX_BYTES - 4 * ACTION_ADDITIONS_MAX_CHARS, unit: 'bytes' };

/** The size of `text` in the limit's unit (chars are UTF-16 code units, as GitHub counts them). */
export function sizeIn(limit: SizeLimit, text: string): number {
  return limit.unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}
