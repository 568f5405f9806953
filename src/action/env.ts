/**
 * One reader per environment variable the action uses. Required ones fail loudly with the
 * variable's name, so a misconfigured runner says what is missing instead of failing later.
 */
import { readFileSync } from 'node:fs';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set. classifier-ci must run as a step of a GitHub Actions job.`);
  return value;
}

function optional(name: string): string | undefined {
  const value = process.env[name];
  return value ? value : undefined;
}

/** Root of the checked-out repository; dataset paths in annotations are relative to it. */
export const githubWorkspace = (): string => optional('GITHUB_WORKSPACE') ?? process.cwd();

/** Per-job scratch directory, emptied by the runner after the job. */
export const runnerTemp = (): string => required('RUNNER_TEMP');

/** Persistent (on self-hosted runners) directory for tools; the native modules are installed here. */
export const runnerToolCache = (): string | undefined => optional('RUNNER_TOOL_CACHE');

/**
 * A folder whose node_modules already holds the runtime packages, used as it is instead of
 * installing them (this repository's own tests; runners provisioned ahead). Set by the workflow.
 */
export const runtimeDirOverride = (): string | undefined => optional('CLASSIFIER_CI_RUNTIME_DIR');

/**
 * Variables npm and the packages' install steps may see: where things are, the locale and the
 * proxy and registry settings a download needs. An allow-list: INPUT_* (the github-token input),
 * ACTIONS_* (the runtime token), GITHUB_TOKEN and anything else a workflow put in the
 * environment never reach code fetched from the registry.
 */
export const INSTALLER_VARIABLES: readonly string[] = [
  'PATH',
  'Path',
  'HOME',
  'USERPROFILE',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_ALL',
  'SystemRoot',
  'windir',
  'ComSpec',
  'PATHEXT',
  'APPDATA',
  'LOCALAPPDATA',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'GLOBAL_AGENT_HTTP_PROXY',
  'GLOBAL_AGENT_HTTPS_PROXY',
  'GLOBAL_AGENT_NO_PROXY',
  'NODE_EXTRA_CA_CERTS',
  'npm_config_registry',
  'NPM_CONFIG_REGISTRY',
  'npm_config_cache',
  'NPM_CONFIG_CACHE',
  'npm_config_offline',
  'npm_config_prefer_offline',
];

export function installerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INSTALLER_VARIABLES) {
    const value = optional(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** "owner/repo". */
export function githubRepository(): { owner: string; repo: string } {
  const value = required('GITHUB_REPOSITORY');
  const [owner, repo] = value.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is "${value}", expected "owner/repo".`);
  return { owner, repo };
}

export const githubServerUrl = (): string => (optional('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');

export const githubApiUrl = (): string => (optional('GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, '');

export function githubRunId(): number {
  const value = required('GITHUB_RUN_ID');
  const id = Number(value);
  if (!Number.isSafeInteger(id)) throw new Error(`GITHUB_RUN_ID is "${value}", expected a number.`);
  return id;
}

/** The workflow's name (or its file path when it has no name). */
export const githubWorkflow = (): string => optional('GITHUB_WORKFLOW') ?? 'workflow';

/** "owner/repo/.github/workflows/file.yml@refs/heads/main"; undefined on old runners. */
export const githubWorkflowRef = (): string | undefined => optional('GITHUB_WORKFLOW_REF');

/** The id of the running job in its workflow file; part of the cache scope. */
export const githubJob = (): string => required('GITHUB_JOB');

export const githubEventName = (): string => required('GITHUB_EVENT_NAME');

/**
 * The webhook payload that started the run, read on every call (not once at import, as
 * @actions/github's context does). {} when the runner gives none.
 */
export function githubEvent(): Record<string, unknown> {
  const path = optional('GITHUB_EVENT_PATH');
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`GITHUB_EVENT_PATH points to ${path}, which could not be read as JSON (${(error as Error).message}).`, { cause: error });
  }
}

export const githubSha = (): string => required('GITHUB_SHA');

/** Present only when the job has a runtime token: needed by the cache and artifact services. */
export const actionsRuntimeToken = (): string | undefined => optional('ACTIONS_RUNTIME_TOKEN');

export const actionsResultsUrl = (): string | undefined => optional('ACTIONS_RESULTS_URL');

/**
 * The variable @actions/cache needs to reach its service: ACTIONS_RESULTS_URL for cache
 * service v2 (ACTIONS_CACHE_SERVICE_V2 set), ACTIONS_CACHE_URL for v1. Named in the warning
 * when the service is missing.
 */
export const cacheServiceVariable = (): 'ACTIONS_RESULTS_URL' | 'ACTIONS_CACHE_URL' =>
  optional('ACTIONS_CACHE_SERVICE_V2') ? 'ACTIONS_RESULTS_URL' : 'ACTIONS_CACHE_URL';
