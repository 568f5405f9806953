/** The REST client, made once from the token; the API URL comes from GITHUB_API_URL. */
import { getOctokit } from '@actions/github';
import { githubApiUrl } from './env.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export function githubClient(token: string): GitHubClient {
  return getOctokit(token, { baseUrl: githubApiUrl() });
}

/** A short, token-free reason for a failed REST call: "403 Resource not accessible by integration". */
export function requestFailure(error: unknown): string {
  const e = error as { status?: number; message?: string };
  const message = (e.message ?? String(error)).split('\n')[0].replace(/ - https:\/\/docs\.github\.com\S*/, '');
  return e.status && !message.startsWith(String(e.status)) ? `${e.status} ${message}` : message;
}

export const statusOf = (error: unknown): number | undefined => (error as { status?: number }).status;
