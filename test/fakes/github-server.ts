/**
 * A loopback fake of the GitHub services the action talks to, for tests in which the real
 * @actions/* and Octokit clients do the talking (in the spirit of nektos/act's
 * pkg/artifacts/artifacts_v4.go):
 *
 * - REST under `/api` (GITHUB_API_URL): issue comments, commit comments, git blobs / trees /
 *   commits / refs, workflow runs (the repository's, one workflow's, one run), run artifacts
 *   and their zip download (a 302 to blob storage).
 * - The artifact twirp service (CreateArtifact, FinalizeArtifact, ListArtifacts,
 *   GetSignedArtifactURL) and the cache twirp service v2 (GetCacheEntryDownloadURL,
 *   CreateCacheEntry, FinalizeCacheEntryUpload) under `/twirp` (ACTIONS_RESULTS_URL).
 * - Azure-style blob storage under `/blob`: Put Block, Put Block List, Put Blob, Get Blob.
 *
 * It listens on 127.0.0.1 on a random port, caps request bodies and stored bytes, never keeps
 * the test process alive (unref) and closes itself after `lifetimeMs` if a test forgets to.
 * `faults` makes a group of endpoints answer with an error status, to test failure handling.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultGroup = 'comments' | 'git' | 'cache' | 'artifact' | 'runs' | 'blob' | 'comment-update' | 'identity';

export interface FakeComment {
  id: number;
  /** Issue / pull request number, or the commit sha for commit comments. */
  target: string;
  body: string;
  created: number;
  updatedCount: number;
  /** Who wrote it; comments made through the API are by the token's identity. */
  author?: string;
}

export interface FakeArtifact {
  id: number;
  runBackendId: string;
  jobBackendId: string;
  name: string;
  blobPath: string;
  finalized: boolean;
  /** "sha256:<hex>" as the client sent it in FinalizeArtifact. */
  hash?: string;
  size?: number;
  expiresAt?: string;
}

export interface FakeCacheEntry {
  id: number;
  key: string;
  version: string;
  blobPath: string;
  finalized: boolean;
  size?: number;
  created: number;
}

export interface FakeRun {
  id: number;
  name: string;
  path: string;
  head_branch: string;
  status: 'completed' | 'in_progress';
  conclusion: 'success' | 'failure' | null;
  event: string;
  /** Zip archives attached to the run, downloadable through the REST API. */
  artifacts: { id: number; name: string; zip: Uint8Array; expired?: boolean }[];
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  /** The bearer token the twirp services accept (a string, or a check); undefined accepts any. */
  runtimeToken?: string | ((token: string) => boolean);
  /** Required token on REST calls ("token X" or "Bearer X"); undefined accepts any. */
  restToken?: string;
  /**
   * Who the REST token is. A GitHub App installation token (GITHUB_TOKEN is one) cannot call
   * GET /user (403 "Resource not accessible by integration"); GraphQL's `viewer` names it.
   * Default: GITHUB_TOKEN, `{ login: 'github-actions[bot]', app: true }`.
   */
  identity?: { login: string; app: boolean };
  /** The server closes itself after this long. Default 10 minutes. */
  lifetimeMs?: number;
  /** Largest request body accepted. Default 256 MiB. */
  maxBodyBytes?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const sha1 = (data: string | Uint8Array) => createHash('sha1').update(data).digest('hex');
export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  url = '';
  /** Every request, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Endpoint groups that answer with this status instead of working. */
  faults: Partial<Record<FaultGroup, number>> = {};

  readonly comments = new Map<number, FakeComment>();
  readonly gitBlobs = new Map<string, Buffer>();
  readonly gitTrees = new Map<string, Map<string, string>>();
  readonly gitCommits = new Map<string, { tree: string; parents: string[]; message: string }>();
  readonly gitRefs = new Map<string, string>();
  /** Blob storage; `contentType` is what the uploader set (x-ms-blob-content-type), served back on download as Azure does. */
  readonly blobs = new Map<string, { blocks: Map<string, Buffer>; data?: Buffer; contentType?: string }>();
  readonly artifacts: FakeArtifact[] = [];
  readonly cacheEntries: FakeCacheEntry[] = [];
  readonly runs: FakeRun[] = [];
  private readonly workflowIds = new Map<string, number>();

  private server?: Server;
  private nextId = 1000;
  private storedBytes = 0;
  private readonly maxStoredBytes = 1024 * 1024 * 1024;
  private readonly options: Required<Omit<FakeGitHubOptions, 'runtimeToken' | 'restToken' | 'identity'>> &
    Pick<FakeGitHubOptions, 'runtimeToken' | 'restToken' | 'identity'>;

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? 'octo-org';
    this.repo = options.repo ?? 'octo-repo';
    this.options = { owner: this.owner, repo: this.repo, lifetimeMs: 10 * 60_000, maxBodyBytes: 256 * 1024 * 1024, ...options };
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    const timer = setTimeout(() => void this.close(), this.options.lifetimeMs);
    timer.unref();
    server.once('close', () => clearTimeout(timer));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  /** The bytes of a blob (artifact zip, cache archive) as stored. */
  blobBytes(path: string): Buffer | undefined {
    return this.blobs.get(path)?.data;
  }

  /** Comments on an issue / pull request or a commit, in creation order. */
  commentsOn(target: string | number): FakeComment[] {
    return [...this.comments.values()].filter((c) => c.target === String(target)).sort((a, b) => a.id - b.id);
  }

  addRun(run: Omit<FakeRun, 'status' | 'event'> & Partial<Pick<FakeRun, 'event' | 'status'>>): FakeRun {
    const full: FakeRun = { status: 'completed', event: 'push', ...run };
    this.runs.unshift(full); // newest first, as the API lists them
    return full;
  }

  /** A workflow's numeric id, one per workflow file, as GitHub gives each workflow one. */
  workflowIdOf(path: string): number {
    let id = this.workflowIds.get(path);
    if (id === undefined) this.workflowIds.set(path, (id = 7000 + this.workflowIds.size));
    return id;
  }

  /** The login the REST token acts as. */
  get tokenLogin(): string {
    return this.options.identity?.login ?? 'github-actions[bot]';
  }

  /** A comment written by someone else (e.g. a forged marker by another user). */
  addComment(target: string | number, body: string, author: string): FakeComment {
    const comment = this.createComment(String(target), body);
    comment.author = author;
    return comment;
  }

  newId(): number {
    return ++this.nextId;
  }

  // ---------------------------------------------------------------- plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    let status = 500;
    try {
      const body = await this.readBody(req);
      const reply = await this.route(req, url, body);
      status = reply.status;
      const headers: Record<string, string | number> = { ...reply.headers };
      let payload: Buffer;
      if (reply.raw) payload = reply.raw;
      else if (reply.json !== undefined) {
        payload = Buffer.from(JSON.stringify(reply.json));
        headers['content-type'] ??= 'application/json; charset=utf-8';
      } else payload = Buffer.alloc(0);
      headers['content-length'] = payload.length;
      res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : payload);
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      const isTwirp = url.pathname.startsWith('/twirp/');
      const json = isTwirp
        ? { code: status === 404 ? 'not_found' : status === 403 ? 'permission_denied' : 'internal', msg: message }
        : { message, documentation_url: 'https://docs.github.com/rest' };
      const payload = Buffer.from(JSON.stringify(json));
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', 'content-length': payload.length }).end(payload);
    } finally {
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
    }
  }

  private readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.options.maxBodyBytes) {
          reject(new HttpError(413, `request body over ${this.options.maxBodyBytes} bytes`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private store(bytes: number): void {
    this.storedBytes += bytes;
    if (this.storedBytes > this.maxStoredBytes) throw new HttpError(507, 'fake storage is full');
  }

  private fault(group: FaultGroup): void {
    const status = this.faults[group];
    if (status) throw new HttpError(status, `${group} is failing (fault injected by the test)`);
  }

  private route(req: IncomingMessage, url: URL, body: Buffer): Promise<Reply> | Reply {
    const path = url.pathname;
    if (path.startsWith('/api/')) return this.rest(req, url, body);
    if (path.startsWith('/twirp/')) return this.twirp(req, path, body);
    if (path.startsWith('/blob/')) return this.blob(req, url, body);
    throw new HttpError(404, `no route for ${req.method} ${path}`);
  }

  // ---------------------------------------------------------------- REST

  private rest(req: IncomingMessage, url: URL, body: Buffer): Reply {
    if (this.options.restToken) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${this.options.restToken}` && auth !== `Bearer ${this.options.restToken}`) throw new HttpError(401, 'Bad credentials');
    }
    const method = req.method ?? 'GET';
    const prefix = `/api/repos/${this.owner}/${this.repo}`;
    // Who the token is.
    if (url.pathname === '/api/user' && method === 'GET') {
      this.fault('identity');
      if (this.options.identity?.app ?? true) throw new HttpError(403, 'Resource not accessible by integration');
      return { status: 200, json: { login: this.tokenLogin, type: 'User', id: 583231 } };
    }
    if (url.pathname === '/api/graphql' && method === 'POST') {
      this.fault('identity');
      const query = String((JSON.parse(body.toString('utf8') || '{}') as { query?: unknown }).query ?? '');
      if (!/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query))
        throw new HttpError(400, `the fake serves only { viewer { login } }, not ${query}`);
      return { status: 200, json: { data: { viewer: { login: this.tokenLogin } } } };
    }
    if (!url.pathname.startsWith(prefix + '/')) throw new HttpError(404, 'Not Found');
    const path = url.pathname.slice(prefix.length);
    const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    let m: RegExpMatchArray | null;

    // Issue / pull request comments.
    if ((m = path.match(/^\/issues\/(\d+)\/comments$/))) {
      this.fault('comments');
      if (method === 'GET')
        return this.page(
          url,
          this.commentsOn(m[1]).map((c) => this.commentJson(c, 'issue')),
        );
      if (method === 'POST') return { status: 201, json: this.commentJson(this.createComment(m[1], input.body), 'issue') };
    }
    if ((m = path.match(/^\/issues\/comments\/(\d+)$/)) && method === 'PATCH') {
      this.fault('comments');
      this.fault('comment-update');
      return { status: 200, json: this.commentJson(this.updateComment(Number(m[1]), input.body), 'issue') };
    }
    // Commit comments.
    if ((m = path.match(/^\/commits\/([0-9a-f]{7,40})\/comments$/))) {
      this.fault('comments');
      if (method === 'GET')
        return this.page(
          url,
          this.commentsOn(m[1]).map((c) => this.commentJson(c, 'commit')),
        );
      if (method === 'POST') return { status: 201, json: this.commentJson(this.createComment(m[1], input.body), 'commit') };
    }
    if ((m = path.match(/^\/comments\/(\d+)$/)) && method === 'PATCH') {
      this.fault('comments');
      this.fault('comment-update');
      return { status: 200, json: this.commentJson(this.updateComment(Number(m[1]), input.body), 'commit') };
    }

    // Git data.
    if (path.startsWith('/git/')) {
      this.fault('git');
      // Octokit sends `heads/branch` as one encoded segment (heads%2Fbranch), as GitHub accepts.
      return this.gitData(method, decodeURIComponent(path.slice('/git'.length)), input);
    }

    // Workflow runs and their artifacts.
    if (path === '/actions/runs' && method === 'GET') {
      this.fault('runs');
      const branch = url.searchParams.get('branch');
      const status = url.searchParams.get('status');
      const runs = this.runs.filter((r) => (!branch || r.head_branch === branch) && (!status || r.conclusion === status || r.status === status));
      return { status: 200, json: { total_count: runs.length, workflow_runs: runs.map((r) => this.runJson(r)) } };
    }
    // One workflow's runs: by numeric id or by file name, as GitHub accepts both.
    if ((m = path.match(/^\/actions\/workflows\/([^/]+)\/runs$/)) && method === 'GET') {
      this.fault('runs');
      const workflow = decodeURIComponent(m[1]);
      const branch = url.searchParams.get('branch');
      const event = url.searchParams.get('event');
      const status = url.searchParams.get('status');
      const runs = this.runs.filter(
        (r) =>
          (String(this.workflowIdOf(r.path)) === workflow || r.path.split('/').pop() === workflow) &&
          (!branch || r.head_branch === branch) &&
          (!event || r.event === event) &&
          (!status || r.conclusion === status || r.status === status),
      );
      return this.page(
        url,
        runs.map((r) => this.runJson(r)),
        (items) => ({ total_count: runs.length, workflow_runs: items }),
      );
    }
    if ((m = path.match(/^\/actions\/runs\/(\d+)$/)) && method === 'GET') {
      this.fault('runs');
      const run = this.runs.find((r) => r.id === Number(m![1]));
      if (!run) throw new HttpError(404, 'Not Found');
      return { status: 200, json: this.runJson(run) };
    }
    if ((m = path.match(/^\/actions\/runs\/(\d+)\/artifacts$/)) && method === 'GET') {
      this.fault('runs');
      const run = this.runs.find((r) => r.id === Number(m![1]));
      if (!run) throw new HttpError(404, 'Not Found');
      const name = url.searchParams.get('name');
      const list = run.artifacts.filter((a) => !name || a.name === name).map((a) => this.runArtifactJson(a));
      return { status: 200, json: { total_count: list.length, artifacts: list } };
    }
    if ((m = path.match(/^\/actions\/artifacts\/(\d+)\/zip$/)) && method === 'GET') {
      this.fault('runs');
      const artifact = this.runs.flatMap((r) => r.artifacts).find((a) => a.id === Number(m![1]));
      if (!artifact) throw new HttpError(404, 'Not Found');
      if (artifact.expired) throw new HttpError(410, 'Artifact has expired');
      const blobPath = `downloads/${artifact.id}`;
      this.blobs.set(blobPath, { blocks: new Map(), data: Buffer.from(artifact.zip) });
      return { status: 302, headers: { location: `${this.url}/blob/${blobPath}?sig=download-signature` } };
    }
    throw new HttpError(404, `Not Found: ${method} ${path}`);
  }

  /** One page of a list, with GitHub's `link: <…>; rel="next"` header; `wrap` shapes the body (e.g. `{ workflow_runs }`). */
  private page(url: URL, items: unknown[], wrap: (slice: unknown[]) => unknown = (slice) => slice): Reply {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return { status: 200, json: wrap(slice), headers };
  }

  private createComment(target: string, body: unknown): FakeComment {
    if (typeof body !== 'string' || body.length === 0) throw new HttpError(422, 'body is missing');
    if (body.length > 65_536) throw new HttpError(422, 'body is too long (maximum is 65536 characters)');
    const comment: FakeComment = { id: this.newId(), target, body, created: Date.now(), updatedCount: 0, author: this.tokenLogin };
    this.comments.set(comment.id, comment);
    return comment;
  }

  private updateComment(id: number, body: unknown): FakeComment {
    const comment = this.comments.get(id);
    if (!comment) throw new HttpError(404, 'Not Found');
    if (typeof body !== 'string' || body.length === 0) throw new HttpError(422, 'body is missing');
    if (body.length > 65_536) throw new HttpError(422, 'body is too long (maximum is 65536 characters)');
    comment.body = body;
    comment.updatedCount++;
    return comment;
  }

  private commentJson(c: FakeComment, kind: 'issue' | 'commit') {
    const base = `https://github.com/${this.owner}/${this.repo}`;
    return {
      id: c.id,
      node_id: `C_${c.id}`,
      body: c.body,
      user: { login: c.author ?? this.tokenLogin, type: (c.author ?? this.tokenLogin).endsWith('[bot]') ? 'Bot' : 'User', id: 41898282 },
      html_url: kind === 'issue' ? `${base}/pull/${c.target}#issuecomment-${c.id}` : `${base}/commit/${c.target}#commitcomment-${c.id}`,
      created_at: new Date(c.created).toISOString(),
      updated_at: new Date().toISOString(),
    };
  }

  private gitData(method: string, path: string, input: Record<string, unknown>): Reply {
    let m: RegExpMatchArray | null;
    if (path === '/blobs' && method === 'POST') {
      if (typeof input.content !== 'string') throw new HttpError(422, 'content is missing');
      const bytes = input.encoding === 'base64' ? Buffer.from(input.content, 'base64') : Buffer.from(input.content, 'utf8');
      this.store(bytes.length);
      const sha = sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
      this.gitBlobs.set(sha, bytes);
      return { status: 201, json: { sha, url: `${this.apiUrl}/repos/${this.owner}/${this.repo}/git/blobs/${sha}` } };
    }
    if (path === '/trees' && method === 'POST') {
      const entries = new Map<string, string>(input.base_tree ? (this.gitTrees.get(String(input.base_tree)) ?? []) : []);
      if (input.base_tree && !this.gitTrees.has(String(input.base_tree))) throw new HttpError(422, 'base_tree is not a tree');
      for (const entry of (input.tree as { path: string; sha: string; type: string }[]) ?? []) {
        if (entry.type !== 'blob' || !this.gitBlobs.has(entry.sha)) throw new HttpError(422, `tree entry ${entry.path}: unknown blob`);
        entries.set(entry.path, entry.sha);
      }
      const sha = sha1(JSON.stringify([...entries].sort(([a], [b]) => (a < b ? -1 : 1))));
      this.gitTrees.set(sha, entries);
      return { status: 201, json: { sha, tree: [...entries].map(([p, s]) => ({ path: p, mode: '100644', type: 'blob', sha: s })), truncated: false } };
    }
    if (path === '/commits' && method === 'POST') {
      const tree = String(input.tree);
      const parents = (input.parents as string[]) ?? [];
      if (!this.gitTrees.has(tree)) throw new HttpError(422, 'tree does not exist');
      if (parents.some((p) => !this.gitCommits.has(p))) throw new HttpError(422, 'parent does not exist');
      const sha = sha1(JSON.stringify({ tree, parents, message: input.message, n: this.newId() }));
      this.gitCommits.set(sha, { tree, parents, message: String(input.message) });
      return { status: 201, json: { sha, tree: { sha: tree }, parents: parents.map((p) => ({ sha: p })), message: input.message } };
    }
    if ((m = path.match(/^\/commits\/([0-9a-f]{40})$/)) && method === 'GET') {
      const commit = this.gitCommits.get(m[1]);
      if (!commit) throw new HttpError(404, 'Not Found');
      return { status: 200, json: { sha: m[1], tree: { sha: commit.tree }, parents: commit.parents.map((p) => ({ sha: p })), message: commit.message } };
    }
    if ((m = path.match(/^\/ref\/(.+)$/)) && method === 'GET') {
      const sha = this.gitRefs.get(`refs/${m[1]}`);
      if (!sha) throw new HttpError(404, 'Not Found');
      return { status: 200, json: { ref: `refs/${m[1]}`, object: { sha, type: 'commit' } } };
    }
    if (path === '/refs' && method === 'POST') {
      const ref = String(input.ref);
      if (this.gitRefs.has(ref)) throw new HttpError(422, 'Reference already exists');
      if (!this.gitCommits.has(String(input.sha))) throw new HttpError(422, 'Object does not exist');
      this.gitRefs.set(ref, String(input.sha));
      return { status: 201, json: { ref, object: { sha: input.sha, type: 'commit' } } };
    }
    if ((m = path.match(/^\/refs\/(.+)$/)) && method === 'PATCH') {
      const ref = `refs/${m[1]}`;
      const current = this.gitRefs.get(ref);
      if (!current) throw new HttpError(422, 'Reference does not exist');
      const next = String(input.sha);
      const commit = this.gitCommits.get(next);
      if (!commit) throw new HttpError(422, 'Object does not exist');
      if (!input.force && !commit.parents.includes(current)) throw new HttpError(422, 'Update is not a fast forward');
      this.gitRefs.set(ref, next);
      return { status: 200, json: { ref, object: { sha: next, type: 'commit' } } };
    }
    throw new HttpError(404, `Not Found: ${method} /git${path}`);
  }

  /** The files on a branch: path → bytes. */
  branchFiles(branch: string): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    const head = this.gitRefs.get(`refs/heads/${branch}`);
    const tree = head ? this.gitTrees.get(this.gitCommits.get(head)!.tree) : undefined;
    for (const [path, sha] of tree ?? []) out.set(path, this.gitBlobs.get(sha)!);
    return out;
  }

  private runJson(r: FakeRun) {
    return {
      id: r.id,
      name: r.name,
      path: r.path,
      workflow_id: this.workflowIdOf(r.path),
      head_branch: r.head_branch,
      status: r.status,
      conclusion: r.conclusion,
      event: r.event,
      html_url: `https://github.com/${this.owner}/${this.repo}/actions/runs/${r.id}`,
    };
  }

  private runArtifactJson(a: FakeRun['artifacts'][number]) {
    return {
      id: a.id,
      name: a.name,
      size_in_bytes: a.zip.length,
      expired: Boolean(a.expired),
      archive_download_url: `${this.apiUrl}/repos/${this.owner}/${this.repo}/actions/artifacts/${a.id}/zip`,
    };
  }

  // ---------------------------------------------------------------- twirp

  private twirp(req: IncomingMessage, path: string, body: Buffer): Reply {
    if (req.method !== 'POST') throw new HttpError(405, 'twirp methods are POST');
    const expected = this.options.runtimeToken;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (expected && !(typeof expected === 'string' ? bearer === expected : expected(bearer))) throw new HttpError(401, 'missing or wrong runtime token');
    if (!String(req.headers['content-type']).startsWith('application/json')) throw new HttpError(415, 'only the JSON twirp encoding is served');
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    const [, , service, method] = path.split('/');
    if (service === 'github.actions.results.api.v1.ArtifactService') {
      this.fault('artifact');
      return { status: 200, json: this.artifactService(method, input) };
    }
    if (service === 'github.actions.results.api.v1.CacheService') {
      this.fault('cache');
      return { status: 200, json: this.cacheService(method, input) };
    }
    throw new HttpError(404, `unknown twirp service ${service}`);
  }

  private artifactService(method: string, input: Record<string, unknown>): object {
    const run = String(input.workflow_run_backend_id ?? '');
    const job = String(input.workflow_job_run_backend_id ?? '');
    if (!run || !job) throw new HttpError(400, 'workflow_run_backend_id and workflow_job_run_backend_id are required');
    const find = (name: string) => this.artifacts.find((a) => a.runBackendId === run && a.name === name);
    switch (method) {
      case 'CreateArtifact': {
        const name = String(input.name ?? '');
        if (!name) throw new HttpError(400, 'name is required');
        if (find(name)?.finalized) return { ok: false };
        const artifact: FakeArtifact = {
          id: this.newId(),
          runBackendId: run,
          jobBackendId: job,
          name,
          blobPath: `artifacts/${run}/${encodeURIComponent(name)}-${this.nextId}`,
          finalized: false,
          expiresAt: input.expires_at as string | undefined,
        };
        this.artifacts.push(artifact);
        return { ok: true, signed_upload_url: `${this.url}/blob/${artifact.blobPath}?sig=upload-signature&se=2099-01-01` };
      }
      case 'FinalizeArtifact': {
        const artifact = [...this.artifacts].reverse().find((a) => a.runBackendId === run && a.name === input.name && !a.finalized);
        if (!artifact) throw new HttpError(404, 'artifact not found');
        const data = this.blobBytes(artifact.blobPath);
        if (!data) throw new HttpError(400, 'nothing was uploaded');
        if (String(input.size) !== String(data.length)) throw new HttpError(400, `size ${String(input.size)} does not match the ${data.length} bytes uploaded`);
        artifact.finalized = true;
        artifact.size = data.length;
        artifact.hash = (input.hash as string | undefined) ?? undefined;
        return { ok: true, artifact_id: String(artifact.id) };
      }
      case 'ListArtifacts': {
        const nameFilter = input.name_filter as string | undefined;
        const idFilter = input.id_filter as string | undefined;
        const list = this.artifacts.filter(
          (a) => a.runBackendId === run && a.finalized && (!nameFilter || a.name === nameFilter) && (!idFilter || String(a.id) === String(idFilter)),
        );
        return {
          artifacts: list.map((a) => ({
            workflow_run_backend_id: a.runBackendId,
            workflow_job_run_backend_id: a.jobBackendId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size ?? 0),
            created_at: new Date().toISOString(),
            ...(a.hash ? { digest: a.hash } : {}),
          })),
        };
      }
      case 'GetSignedArtifactURL': {
        const artifact = find(String(input.name ?? ''));
        if (!artifact?.finalized) throw new HttpError(404, 'artifact not found');
        return { signed_url: `${this.url}/blob/${artifact.blobPath}?sig=download-signature` };
      }
      default:
        throw new HttpError(404, `unknown method ArtifactService/${method}`);
    }
  }

  private cacheService(method: string, input: Record<string, unknown>): object {
    const version = String(input.version ?? '');
    const key = String(input.key ?? '');
    if (!key || !version) throw new HttpError(400, 'key and version are required');
    switch (method) {
      case 'GetCacheEntryDownloadURL': {
        const ready = this.cacheEntries.filter((e) => e.finalized && e.version === version).sort((a, b) => b.created - a.created);
        const exact = ready.find((e) => e.key === key);
        // As GitHub documents it: the exact key first, then the key as a prefix, then each
        // restore key as a prefix; among prefix matches, the newest entry.
        const prefixes = [key, ...((input.restore_keys as string[] | undefined) ?? [])];
        const match = exact ?? prefixes.map((prefix) => ready.find((e) => e.key.startsWith(prefix))).find(Boolean);
        if (!match) return { ok: false };
        return { ok: true, signed_download_url: `${this.url}/blob/${match.blobPath}?sig=download-signature`, matched_key: match.key };
      }
      case 'CreateCacheEntry': {
        if (this.cacheEntries.some((e) => e.key === key && e.version === version)) return { ok: false, message: `cache entry ${key} already exists` };
        const entry: FakeCacheEntry = { id: this.newId(), key, version, blobPath: `caches/${this.nextId}`, finalized: false, created: this.nextId };
        this.cacheEntries.push(entry);
        return { ok: true, signed_upload_url: `${this.url}/blob/${entry.blobPath}?sig=upload-signature&se=2099-01-01` };
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = this.cacheEntries.find((e) => e.key === key && e.version === version && !e.finalized);
        if (!entry) return { ok: false, message: 'no cache entry is being uploaded under this key' };
        const data = this.blobBytes(entry.blobPath);
        if (!data || String(data.length) !== String(input.size_bytes)) throw new HttpError(400, 'uploaded size does not match size_bytes');
        entry.finalized = true;
        entry.size = data.length;
        return { ok: true, entry_id: String(entry.id) };
      }
      default:
        throw new HttpError(404, `unknown method CacheService/${method}`);
    }
  }

  // ---------------------------------------------------------------- blob storage (Azure-style)

  private blob(req: IncomingMessage, url: URL, body: Buffer): Reply {
    this.fault('blob');
    if (!url.searchParams.get('sig')) throw new HttpError(403, 'missing signature');
    const path = decodeURIComponent(url.pathname.slice('/blob/'.length));
    const method = req.method ?? 'GET';
    const comp = url.searchParams.get('comp');
    const ok = {
      status: 201,
      headers: {
        etag: `"0x${sha1(path).slice(0, 16)}"`,
        'last-modified': new Date().toUTCString(),
        'x-ms-request-compute': 'fake',
        'x-ms-request-server-encrypted': 'true',
      },
    };
    if (method === 'PUT' && comp === 'block') {
      const id = url.searchParams.get('blockid');
      if (!id) throw new HttpError(400, 'blockid is required');
      this.store(body.length);
      const blob = this.blobs.get(path) ?? { blocks: new Map<string, Buffer>() };
      blob.blocks.set(id, body);
      this.blobs.set(path, blob);
      return ok;
    }
    if (method === 'PUT' && comp === 'blocklist') {
      const blob = this.blobs.get(path);
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\/(?:Latest|Uncommitted|Committed)>/g)].map((x) => x[1]);
      if (!blob && ids.length) throw new HttpError(400, 'no blocks were uploaded');
      const parts = ids.map((id) => {
        const part = blob!.blocks.get(id);
        if (!part) throw new HttpError(400, `block ${id} was not uploaded`);
        return part;
      });
      this.blobs.set(path, { blocks: new Map(), data: Buffer.concat(parts), contentType: blobContentType(req) });
      return ok;
    }
    if (method === 'PUT' && !comp) {
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') throw new HttpError(400, 'x-ms-blob-type: BlockBlob is required');
      this.store(body.length);
      this.blobs.set(path, { blocks: new Map(), data: body, contentType: blobContentType(req) });
      return ok;
    }
    if (method === 'GET' || method === 'HEAD') {
      const data = this.blobBytes(path);
      if (!data) throw new HttpError(404, 'The specified blob does not exist.');
      // @actions/artifact unzips a download only when it is served as application/zip (or the URL ends in .zip).
      const contentType = this.blobs.get(path)?.contentType ?? 'application/octet-stream';
      const range = req.headers['x-ms-range'] ?? req.headers.range;
      const match = typeof range === 'string' ? range.match(/bytes=(\d+)-(\d*)/) : null;
      if (match) {
        const start = Number(match[1]);
        const end = match[2] ? Math.min(Number(match[2]), data.length - 1) : data.length - 1;
        return {
          status: 206,
          raw: data.subarray(start, end + 1),
          headers: { 'content-type': contentType, 'content-range': `bytes ${start}-${end}/${data.length}`, 'x-ms-blob-type': 'BlockBlob' },
        };
      }
      return { status: 200, raw: data, headers: { 'content-type': contentType, 'x-ms-blob-type': 'BlockBlob' } };
    }
    throw new HttpError(405, `${method} with comp=${comp} is not served`);
  }
}

/** The content type an upload set for the blob (Put Blob or Put Block List), if any. */
function blobContentType(req: IncomingMessage): string | undefined {
  const value = req.headers['x-ms-blob-content-type'];
  return typeof value === 'string' && value ? value : undefined;
}

interface Reply {
  status: number;
  json?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

export async function startFakeGitHub(options?: FakeGitHubOptions): Promise<FakeGitHub> {
  return new FakeGitHub(options).start();
}

/** A runtime token as the runner issues it: a JWT whose `scp` claim carries the run and job backend ids. */
export function runtimeJwt(runBackendId: string, jobBackendId: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64({ scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${runBackendId}:${jobBackendId}`, exp: Math.floor(Date.now() / 1000) + 3600 })}.fake-signature`;
}
