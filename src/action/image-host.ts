/**
 * Chart images for the report, stored in the repository itself: GitHub strips `data:` images
 * from comments and has no upload API, and a third-party host would leak private results.
 *
 * Files are committed through the Git data API to the orphan branch `classifier-ci-assets`
 * under content-addressed names (`charts/<sha256>.<ext>`), so a name never changes meaning,
 * old comments keep their images, and publishing the same chart twice adds nothing. All the
 * charts of a run go into one commit. The links render for everyone who can read the repo.
 *
 * Without `contents: write` (the default for fork pull requests) `put` returns null and
 * `note` says how to enable images; the report is then image-free.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { ImageHost } from '../core/report/index.js';
import { ASSETS_BRANCH } from './constants.js';
import { requestFailure, statusOf, type GitHubClient } from './github.js';

export interface AssetFile {
  name: string;
  bytes: Uint8Array;
  contentType: string;
}

const EXTENSIONS: Record<string, string> = { 'image/png': '.png', 'image/svg+xml': '.svg', 'image/jpeg': '.jpg', 'image/webp': '.webp' };

export const NO_PERMISSION_NOTE = `Charts are not shown: this workflow's token cannot write to the repository. To show them, give the job \`permissions: contents: write\` (charts are stored on the \`${ASSETS_BRANCH}\` branch), or set \`image-host: none\` to hide this note.`;

export function assetPath(file: AssetFile): string {
  const hash = createHash('sha256').update(file.bytes).digest('hex').slice(0, 32);
  const ext =
    EXTENSIONS[file.contentType] ??
    (extname(file.name)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '') ||
      '.bin');
  return `charts/${hash}${ext}`;
}

export class RepoImageHost implements ImageHost {
  /** Why images are off, for the report (missing permission), or undefined while they work. */
  note?: string;
  /** A service failure other than permissions, for a warning. */
  problem?: string;
  private readonly published = new Map<string, string>();

  constructor(
    private readonly octokit: GitHubClient,
    private readonly where: { owner: string; repo: string; serverUrl: string },
    private readonly branch = ASSETS_BRANCH,
  ) {}

  urlOf(path: string): string {
    const { serverUrl, owner, repo } = this.where;
    return `${serverUrl}/${owner}/${repo}/raw/${this.branch}/${path}`;
  }

  get enabled(): boolean {
    return this.note === undefined && this.problem === undefined;
  }

  async put(name: string, bytes: Uint8Array, contentType: string): Promise<string | null> {
    const urls = await this.publish([{ name, bytes, contentType }]);
    return urls.get(name) ?? null;
  }

  /** Commits every file not yet published in one commit; returns name → URL for those that are stored. */
  async publish(files: AssetFile[]): Promise<Map<string, string>> {
    const urls = new Map<string, string>();
    if (!this.enabled) return urls;
    const todo: { file: AssetFile; path: string }[] = [];
    for (const file of files) {
      const path = assetPath(file);
      const known = this.published.get(path);
      if (known) urls.set(file.name, known);
      else todo.push({ file, path });
    }
    if (todo.length === 0) return urls;
    try {
      const tree = [];
      for (const { file, path } of todo) {
        const { data } = await this.octokit.rest.git.createBlob({ ...this.repo(), content: Buffer.from(file.bytes).toString('base64'), encoding: 'base64' });
        tree.push({ path, mode: '100644' as const, type: 'blob' as const, sha: data.sha });
      }
      // A concurrent run may move the branch between reading and updating it: try once more.
      try {
        await this.commit(tree);
      } catch (error) {
        if (statusOf(error) !== 422) throw error;
        await this.commit(tree);
      }
      for (const { file, path } of todo) {
        const url = this.urlOf(path);
        this.published.set(path, url);
        urls.set(file.name, url);
      }
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) this.note = NO_PERMISSION_NOTE;
      else this.problem = `chart images could not be stored on the ${this.branch} branch (${requestFailure(error)})`;
    }
    return urls;
  }

  private repo() {
    return { owner: this.where.owner, repo: this.where.repo };
  }

  private async commit(tree: { path: string; mode: '100644'; type: 'blob'; sha: string }[]): Promise<void> {
    const message = `classifier-ci: ${tree.length} chart image${tree.length === 1 ? '' : 's'}`;
    let head: { commit: string; tree: string } | null = null;
    try {
      const { data: ref } = await this.octokit.rest.git.getRef({ ...this.repo(), ref: `heads/${this.branch}` });
      const { data: commit } = await this.octokit.rest.git.getCommit({ ...this.repo(), commit_sha: ref.object.sha });
      head = { commit: ref.object.sha, tree: commit.tree.sha };
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    if (!head) {
      // First use: an orphan branch, so the images never mix with the project's history.
      const { data: newTree } = await this.octokit.rest.git.createTree({ ...this.repo(), tree });
      const { data: commit } = await this.octokit.rest.git.createCommit({ ...this.repo(), message, tree: newTree.sha, parents: [] });
      await this.octokit.rest.git.createRef({ ...this.repo(), ref: `refs/heads/${this.branch}`, sha: commit.sha });
      return;
    }
    const { data: newTree } = await this.octokit.rest.git.createTree({ ...this.repo(), base_tree: head.tree, tree });
    if (newTree.sha === head.tree) return; // every file was already there
    const { data: commit } = await this.octokit.rest.git.createCommit({ ...this.repo(), message, tree: newTree.sha, parents: [head.commit] });
    await this.octokit.rest.git.updateRef({ ...this.repo(), ref: `heads/${this.branch}`, sha: commit.sha, force: false });
  }
}
