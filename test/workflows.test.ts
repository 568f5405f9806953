/**
 * The workflow files keep their security rules: self-hosted jobs run only for what is on an
 * allow-list (pushes, manual runs, pull requests from this repository's own branches), every
 * checkout leaves no token behind, actions from elsewhere are pinned by commit SHA, concurrency
 * groups cannot be shared by two forks' pull requests, and no run script expands untrusted
 * event text. The files are read with a small YAML reader (enough for workflow files) and the
 * `if:` and `group:` expressions are evaluated against the events a repository sees.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

type Yaml = string | null | Yaml[] | { [key: string]: Yaml };
type YamlMap = { [key: string]: Yaml };

/** A scalar's text; '' for anything else. */
const text = (value: Yaml | undefined): string => (typeof value === 'string' ? value : '');

// ------------------------------------------------------------------ a small YAML reader

/** Drops a `# comment` that is not inside quotes. */
function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

function scalar(text: string): Yaml {
  if (/^'.*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
  if (/^".*"$/.test(text)) return JSON.parse(text) as string;
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (/^\[.*\]$/.test(text))
    return text
      .slice(1, -1)
      .split(',')
      .map((item) => scalar(item.trim()));
  if (text === '~' || text === 'null') return null;
  return text;
}

/** Block mappings, sequences, flow sequences, quoted and block scalars: what workflow files use. */
export function parseYaml(source: string): Yaml {
  const lines = source.split('\n');
  let i = 0;
  const indentOf = (n: number) => lines[n].length - lines[n].trimStart().length;
  const content = (n: number) => stripComment(lines[n].trim());
  const skip = () => {
    while (i < lines.length && content(i) === '') i++;
  };
  const blockScalar = (parentIndent: number): string => {
    const taken: string[] = [];
    while (i < lines.length && (lines[i].trim() === '' || indentOf(i) > parentIndent)) taken.push(lines[i++]);
    while (taken.length && taken.at(-1)!.trim() === '') taken.pop();
    const common = Math.min(...taken.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    return taken.map((l) => l.slice(common)).join('\n') + '\n';
  };
  const value = (text: string | undefined, indent: number): Yaml => {
    if (text !== undefined && /^[|>][-+]?$/.test(text)) return blockScalar(indent);
    if (text) return scalar(text);
    skip();
    if (i < lines.length && (indentOf(i) > indent || (indentOf(i) === indent && content(i).startsWith('-')))) return block();
    return null;
  };
  const map = (indent: number): YamlMap => {
    const out: YamlMap = {};
    for (skip(); i < lines.length && indentOf(i) === indent && !content(i).startsWith('- '); skip()) {
      const m = /^([^:'"]+?|'[^']*'|"[^"]*"):(?:\s+(.*))?$/.exec(content(i));
      if (!m) throw new Error(`line ${i + 1}: cannot read ${JSON.stringify(lines[i])}`);
      i++;
      out[text(scalar(m[1]))] = value(m[2], indent);
    }
    return out;
  };
  const list = (indent: number): Yaml[] => {
    const out: Yaml[] = [];
    for (skip(); i < lines.length && indentOf(i) === indent && content(i).startsWith('-'); skip()) {
      const rest = content(i).slice(1).trim();
      if (/^[^'"[{][^:]*:(\s|$)/.test(rest)) {
        // `- key: value` opens a mapping whose keys line up two columns in.
        lines[i] = ' '.repeat(indent + 2) + lines[i].trim().slice(1).trimStart();
        out.push(map(indent + 2));
      } else {
        i++;
        out.push(rest ? scalar(rest) : block());
      }
    }
    return out;
  };
  const block = (): Yaml => {
    skip();
    if (i >= lines.length) return null;
    return content(i).startsWith('-') ? list(indentOf(i)) : map(indentOf(i));
  };
  const root = block();
  skip();
  if (i < lines.length) throw new Error(`line ${i + 1}: unexpected ${JSON.stringify(lines[i])}`);
  return root;
}

// ------------------------------------------------------------------ a small expression evaluator

type Value = string | number | boolean | null | undefined | { [key: string]: Value };

/** A value as GitHub turns it into text (objects do not occur in these workflows). */
const show = (v: Value): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** GitHub expressions as workflows here use them: literals, context paths, ==, !=, !, &&, ||, (), format(). */
export function evaluate(expression: string, context: Record<string, Value>): Value {
  const tokens = expression.match(/'(?:[^']|'')*'|&&|\|\||==|!=|[()!,]|[\w.-]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (expected !== undefined && token !== expected) throw new Error(`expected ${expected} in ${expression}, got ${token}`);
    return token;
  };
  const truthy = (v: Value) => v !== null && v !== undefined && v !== false && v !== 0 && v !== '';
  const equal = (a: Value, b: Value) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);
  const primary = (): Value => {
    const token = take();
    if (token === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    // Status functions, as a job sees them when everything before it went well.
    if (['always', 'success', 'failure', 'cancelled'].includes(token) && peek() === '(') {
      take('(');
      take(')');
      return token === 'always' || token === 'success';
    }
    if (token === 'format' && peek() === '(') {
      take('(');
      const args: Value[] = [or()];
      while (peek() === ',') {
        take(',');
        args.push(or());
      }
      take(')');
      return show(args[0]).replace(/\{(\d+)\}/g, (_, n: string) => show(args[Number(n) + 1]));
    }
    return token.split('.').reduce<Value>((v, key) => (v && typeof v === 'object' ? v[key] : undefined), context);
  };
  const comparison = (): Value => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = primary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek() === '&&') {
      take();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`could not read all of ${expression}`);
  return result;
}

/** A string with `${{ … }}` parts, as GitHub fills it in. */
const interpolate = (text: string, context: Record<string, Value>) => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => show(evaluate(e, context)));

// ------------------------------------------------------------------ the events a repository sees

const REPO = 'octo-org/models';

function event(name: string, extra: { ref?: string; pr?: { number: number; headRepo: string; headRef: string } } = {}): Record<string, Value> {
  const pr = extra.pr;
  return {
    github: {
      event_name: name,
      repository: REPO,
      workflow: 'Workflow',
      ref: pr ? `refs/pull/${pr.number}/merge` : (extra.ref ?? 'refs/heads/main'),
      head_ref: pr?.headRef ?? '',
      event: pr ? { pull_request: { number: pr.number, head: { ref: pr.headRef, repo: { full_name: pr.headRepo, fork: pr.headRepo !== REPO } } } } : {},
    },
    inputs: {},
  };
}

const ALLOWED = {
  push: event('push'),
  workflow_dispatch: event('workflow_dispatch'),
  'pull request from a branch of this repository': event('pull_request', { pr: { number: 7, headRepo: REPO, headRef: 'more-bags' } }),
};
const REFUSED = {
  'pull request from a fork': event('pull_request', { pr: { number: 8, headRepo: 'mallory/models', headRef: 'main' } }),
  'pull_request_target from a fork': event('pull_request_target', { pr: { number: 9, headRepo: 'mallory/models', headRef: 'main' } }),
  'pull_request_target from this repository': event('pull_request_target', { pr: { number: 10, headRepo: REPO, headRef: 'x' } }),
  issue_comment: event('issue_comment'),
  workflow_run: event('workflow_run'),
  schedule: event('schedule'),
  merge_group: event('merge_group'),
};

// ------------------------------------------------------------------ the rules

const DIR = join(import.meta.dirname, '..', '.github', 'workflows');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

test('the YAML reader and the evaluator read what the rules rely on', () => {
  const doc = parseYaml("a: 1 # note\nb:\n  - x: 'q # not a comment'\n    y: [p, 'r']\n  - plain\nc: |\n  line one\n  # kept\nd: {}\n") as YamlMap;
  assert.deepEqual(doc, { a: '1', b: [{ x: 'q # not a comment', y: ['p', 'r'] }, 'plain'], c: 'line one\n# kept\n', d: {} });
  const ctx = event('pull_request', { pr: { number: 3, headRepo: 'a/b', headRef: 'f' } });
  assert.equal(evaluate("github.event_name == 'PULL_REQUEST' && github.event.pull_request.number", ctx), 3);
  assert.equal(evaluate("!(github.head_ref == 'f') || format('n-{0}-{1}', 1, github.head_ref)", ctx), 'n-1-f');
});

for (const file of files) {
  describe(file, () => {
    const source = readFileSync(join(DIR, file), 'utf8');
    const workflow = parseYaml(source) as YamlMap;
    const jobs = Object.entries(workflow.jobs as YamlMap) as [string, YamlMap][];
    const steps = jobs.flatMap(([, job]) => (job.steps as YamlMap[] | undefined) ?? []);

    test('self-hosted jobs run only for pushes, manual runs and pull requests from this repository', () => {
      for (const [name, job] of jobs) {
        const runsOn = ([] as Yaml[]).concat(job['runs-on'] ?? []);
        if (!runsOn.includes('self-hosted')) continue;
        assert.equal(typeof job.if, 'string', `${name}: a self-hosted job needs an if: allow-list`);
        const condition = text(job.if).replace(/^\$\{\{(.*)\}\}$/, '$1');
        // The jobs it needs all succeeded: the guard must hold on its own, whatever came before.
        const needs = { needs: Object.fromEntries(([] as Yaml[]).concat(job.needs ?? []).map((n) => [text(n), { result: 'success', outputs: {} }])) };
        for (const [what, ctx] of Object.entries(ALLOWED)) assert.ok(evaluate(condition, { ...ctx, ...needs }), `${name} should run for a ${what}`);
        for (const [what, ctx] of Object.entries(REFUSED)) assert.ok(!evaluate(condition, { ...ctx, ...needs }), `${name} must not run for ${what}`);
      }
    });

    test('every checkout leaves no credentials in .git/config', () => {
      const checkouts = steps.filter((s) => text(s.uses).startsWith('actions/checkout@'));
      assert.ok(checkouts.length > 0);
      for (const step of checkouts) assert.equal((step.with as YamlMap | undefined)?.['persist-credentials'], 'false', JSON.stringify(step));
    });

    test('actions from elsewhere are pinned by commit SHA, with the tag noted beside it', () => {
      for (const step of steps.filter((s) => s.uses)) {
        const uses = text(step.uses);
        if (uses.startsWith('./')) continue;
        // Our own action in the example for users, who pin it to the release they reviewed (said at the top).
        if (/^classifier-ci\/classifier-ci@v\d+$/.test(uses)) {
          assert.match(source, /Pin classifier-ci the same\s+#?\s*way/, 'the example tells users to pin classifier-ci');
          continue;
        }
        assert.match(uses, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${uses} is not pinned by a full commit SHA`);
        const line = source.split('\n').find((l) => l.includes(`uses: ${uses}`))!;
        assert.match(line, /@[0-9a-f]{40} # v\d+(\.\d+)*$/, `the tag is noted beside ${uses}`);
      }
    });

    test("concurrency groups: a fork's pull request never shares one with another pull request or a push", () => {
      const groups = [workflow.concurrency, ...jobs.map(([, job]) => job.concurrency)]
        .filter(Boolean)
        .map((c) => (typeof c === 'string' ? c : text((c as YamlMap).group)));
      assert.ok(groups.length > 0, 'a concurrency group is set');
      for (const group of groups) {
        // Two forks with a branch of the same name as each other and as ours, a push to that name.
        const a = interpolate(group, event('pull_request', { pr: { number: 11, headRepo: 'mallory/models', headRef: 'main' } }));
        const b = interpolate(group, event('pull_request', { pr: { number: 12, headRepo: 'eve/models', headRef: 'main' } }));
        const ours = interpolate(group, event('pull_request', { pr: { number: 13, headRepo: REPO, headRef: 'main' } }));
        const push = interpolate(group, event('push', { ref: 'refs/heads/main' }));
        assert.equal(new Set([a, b, ours, push]).size, 4, `${group} collides: ${[a, b, ours, push].join(' | ')}`);
        // The same pull request again does share it, so a new push cancels the old run.
        assert.equal(interpolate(group, event('pull_request', { pr: { number: 11, headRepo: 'mallory/models', headRef: 'main' } })), a);
      }
    });

    test('no run script expands text from the event (script injection)', () => {
      for (const step of steps.filter((s) => typeof s.run === 'string')) {
        assert.doesNotMatch(text(step.run), /\$\{\{[^}]*(github\.event|github\.head_ref|inputs\.|steps\.)/, `pass it through env: instead:\n${text(step.run)}`);
      }
    });
  });
}
