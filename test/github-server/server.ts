import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenApi, type Validated } from './openapi.js';

/**
 * A local GitHub REST server for tests: node:http on 127.0.0.1 at a random port. Every request
 * is checked against GitHub's OpenAPI description (an unknown route or an invalid body is recorded
 * as a violation and answered as GitHub would, so the test that made it fails loudly), state is
 * kept (pulls and their files, comments, reviews, review comments, check runs, issues, labels),
 * and GitHub's limits are enforced: a review comment outside the diff rejects the whole review
 * with 422, a body over 65,536 characters is a 422, more than 50 annotations per check-run
 * request is a 422, and a secondary rate limit (403 with retry-after) can be switched on.
 */

export const COMMENT_BODY_LIMIT = 65_536;

export interface User {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export const BOT: User = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const HUMAN: User = { login: 'octocat', id: 583231, type: 'User' };

export interface PullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  patch?: string;
  previous_filename?: string;
  additions?: number;
  deletions?: number;
}

export interface Pull {
  number: number;
  title: string;
  /** `repo`: the head's repository (`owner/name`) when it is a fork; this repository otherwise. */
  head: { sha: string; ref: string; repo?: string };
  base: { sha: string; ref: string };
  files: PullFile[];
}

export interface IssueComment {
  id: number;
  issue_number: number;
  body: string;
  user: User;
  created_at: string;
  updated_at: string;
}

export interface Review {
  id: number;
  pull_number: number;
  commit_id: string;
  body: string;
  state: string;
  user: User;
}

export interface ReviewComment {
  id: number;
  pull_number: number;
  pull_request_review_id: number | null;
  path: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT';
  body: string;
  commit_id: string;
  in_reply_to_id?: number;
  user: User;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Record<string, unknown>[];
  /** Annotations per request, as they arrived. */
  annotationBatches: number[];
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  user: User;
}

export interface Label {
  name: string;
  color: string;
  description: string | null;
}

export interface Violation {
  method: string;
  path: string;
  problems: string[];
}

export interface RequestRecord {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  body?: unknown;
}

interface Fault {
  status: number;
  count: number;
  method?: string;
  path?: RegExp;
  retryAfter?: number;
  message: string;
}

type Handler = (ctx: Ctx) => Reply;
interface Ctx {
  values: Validated;
  body: Record<string, unknown>;
  url: URL;
}
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const now = () => new Date().toISOString();
let openApi: OpenApi | undefined;

export class GitHubServer {
  readonly pulls = new Map<number, Pull>();
  readonly issueComments: IssueComment[] = [];
  readonly reviews: Review[] = [];
  readonly reviewComments: ReviewComment[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly issues: Issue[] = [];
  readonly labels = new Map<string, Label>();
  readonly violations: Violation[] = [];
  readonly requests: RequestRecord[] = [];
  /** Answer every write with 403, as GitHub does for a fork's read-only token. */
  readOnly = false;
  /** The user the token belongs to. */
  actor: User = BOT;

  private readonly faults: Fault[] = [];
  private nextId = 1000;
  private server?: Server;
  private base = '';
  private readonly api: OpenApi;
  private readonly handlers: Record<string, Handler>;

  constructor() {
    openApi ??= new OpenApi();
    this.api = openApi;
    this.handlers = this.makeHandlers();
  }

  get url(): string {
    return this.base;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        this.violations.push({
          method: req.method ?? '',
          path: req.url ?? '',
          problems: [`server error: ${err.stack}`],
        });
        send(res, { status: 500, body: { message: 'test server error' } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // -------------------------------------------------------------------------------------------
  // Test controls

  addPull(pull: Omit<Pull, 'title'> & { title?: string }): Pull {
    const p = { title: `PR ${pull.number}`, ...pull };
    this.pulls.set(p.number, p);
    return p;
  }

  /** The next `count` requests get GitHub's secondary rate limit answer. */
  secondaryRateLimit(count: number, retryAfterSeconds = 1): void {
    this.faults.push({
      status: 403,
      count,
      retryAfter: retryAfterSeconds,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    });
  }

  /** The next `count` requests matching method and path get `status` (500s, 403, 404 ...). */
  fail(
    status: number,
    options: { count?: number; method?: string; path?: RegExp; message?: string } = {},
  ): void {
    this.faults.push({
      status,
      count: options.count ?? 1,
      method: options.method,
      path: options.path,
      message:
        options.message ?? (status >= 500 ? 'Server Error' : status === 404 ? 'Not Found' : 'Forbidden'),
    });
  }

  /** A human's own review comment, starting a thread (it may quote one of ours). */
  humanReviewComment(pull: number, path: string, line: number, body: string): ReviewComment {
    const c: ReviewComment = {
      id: this.id(),
      pull_number: pull,
      pull_request_review_id: null,
      path,
      line,
      side: 'RIGHT',
      body,
      commit_id: this.pulls.get(pull)?.head.sha ?? '',
      user: HUMAN,
    };
    this.reviewComments.push(c);
    return c;
  }

  /** A human's comment in the conversation (it may quote our summary). */
  humanIssueComment(issue: number, body: string): IssueComment {
    const now = new Date().toISOString();
    const c: IssueComment = {
      id: this.id(),
      issue_number: issue,
      body,
      user: HUMAN,
      created_at: now,
      updated_at: now,
    };
    this.issueComments.push(c);
    return c;
  }

  /** A human's reply to a review comment (for "keep comments someone answered"). */
  reply(to: number, body: string): ReviewComment {
    const parent = this.reviewComments.find((c) => c.id === to);
    if (!parent) throw new Error(`no review comment ${to}`);
    const c: ReviewComment = {
      ...parent,
      id: this.id(),
      body,
      in_reply_to_id: to,
      user: HUMAN,
      pull_request_review_id: null,
    };
    this.reviewComments.push(c);
    return c;
  }

  /** Review comments (not replies) on a pull request. */
  threads(pull: number): ReviewComment[] {
    return this.reviewComments.filter((c) => c.pull_number === pull && c.in_reply_to_id === undefined);
  }

  // -------------------------------------------------------------------------------------------
  // Dispatch

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const record: RequestRecord = { method, path: url.pathname + url.search, status: 0 };
    this.requests.push(record);
    const reply = (r: Reply) => {
      record.status = r.status;
      send(res, r);
    };

    if (!/^(token|bearer) \S+/i.test(req.headers.authorization ?? '')) {
      return reply({ status: 401, body: { message: 'Requires authentication' } });
    }
    const match = this.api.match(method, url.pathname);
    if (!match) {
      this.violations.push({
        method,
        path: url.pathname,
        problems: ['no such operation in the OpenAPI description'],
      });
      return reply({ status: 404, body: { message: 'Not Found' } });
    }
    record.operationId = match.operation.operationId;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        this.violations.push({ method, path: url.pathname, problems: ['body is not JSON'] });
        return reply({ status: 400, body: { message: 'Problems parsing JSON' } });
      }
    }
    record.body = body;
    const { problems, values } = this.api.validate(match, url.searchParams, body, raw.length > 0);
    if (problems.length > 0) {
      this.violations.push({
        method,
        path: url.pathname,
        problems: [`${match.operation.operationId}:`, ...problems],
      });
      return reply({ status: 422, body: { message: 'Invalid request.', errors: problems } });
    }

    const fault = this.takeFault(method, url.pathname);
    if (fault) {
      return reply({
        status: fault.status,
        body: { message: fault.message, documentation_url: 'https://docs.github.com/rest' },
        headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
      });
    }
    if (this.readOnly && method !== 'GET') {
      return reply({ status: 403, body: { message: 'Resource not accessible by integration' } });
    }
    const handler = this.handlers[match.operation.operationId];
    if (!handler) {
      this.violations.push({
        method,
        path: url.pathname,
        problems: [`no handler for ${match.operation.operationId}`],
      });
      return reply({
        status: 501,
        body: { message: `test server has no handler for ${match.operation.operationId}` },
      });
    }
    return reply(handler({ values, body: (body ?? {}) as Record<string, unknown>, url }));
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) => (!f.method || f.method === method) && (!f.path || f.path.test(path)),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i];
    if (--fault.count <= 0) this.faults.splice(i, 1);
    return fault;
  }

  private id(): number {
    return this.nextId++;
  }

  // -------------------------------------------------------------------------------------------
  // Handlers, by OpenAPI operationId

  private makeHandlers(): Record<string, Handler> {
    const pull = (v: Validated): Pull | undefined => this.pulls.get(Number(v.path.pull_number));
    const notFound: Reply = { status: 404, body: { message: 'Not Found' } };
    const tooLong = (body: unknown): Reply | undefined =>
      typeof body === 'string' && body.length > COMMENT_BODY_LIMIT
        ? {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'IssueComment',
                  code: 'custom',
                  field: 'body',
                  message: 'body is too long (maximum is 65536 characters)',
                },
              ],
            },
          }
        : undefined;

    return {
      // Open pull requests (the only state kept), filtered by `head` (`owner:branch`) as GitHub does.
      'pulls/list': ({ values, url }) => {
        const state = (values.query.state as string | undefined) ?? 'open';
        const head = values.query.head as string | undefined;
        const here = `${values.path.owner}/${values.path.repo}`;
        const list = [...this.pulls.values()].filter((p) => {
          if (state === 'closed') return false;
          if (!head) return true;
          const [owner, branch] = head.split(':');
          const repo = p.head.repo ?? here;
          return branch === p.head.ref && repo.split('/')[0] === owner;
        });
        return this.page(
          url,
          list.map((p) => this.pullJson(p, here)),
        );
      },
      'pulls/get': ({ values }) => {
        const p = pull(values);
        return p
          ? { status: 200, body: this.pullJson(p, `${values.path.owner}/${values.path.repo}`) }
          : notFound;
      },
      'pulls/list-files': ({ values, url }) => {
        const p = pull(values);
        return p
          ? this.page(
              url,
              p.files.map((f) => this.fileJson(f)),
            )
          : notFound;
      },
      // An installation token (the workflow's GITHUB_TOKEN, an App) is no user: GitHub answers 403.
      'users/get-authenticated': () =>
        this.actor.type === 'Bot'
          ? {
              status: 403,
              body: {
                message: 'Resource not accessible by integration',
                documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
              },
            }
          : { status: 200, body: this.userJson(this.actor) },
      'pulls/list-review-comments': ({ values, url }) => {
        const p = pull(values);
        if (!p) return notFound;
        return this.page(
          url,
          this.reviewComments.filter((c) => c.pull_number === p.number).map((c) => this.reviewCommentJson(c)),
        );
      },
      'pulls/list-reviews': ({ values, url }) => {
        const p = pull(values);
        if (!p) return notFound;
        return this.page(
          url,
          this.reviews.filter((r) => r.pull_number === p.number).map((r) => this.reviewJson(r)),
        );
      },
      'pulls/create-review': ({ values, body }) => {
        const p = pull(values);
        if (!p) return notFound;
        const comments = (body.comments as Record<string, unknown>[] | undefined) ?? [];
        const event = body.event as string | undefined;
        if ((event === 'COMMENT' || event === 'REQUEST_CHANGES') && !body.body && comments.length === 0) {
          return {
            status: 422,
            body: { message: 'Unprocessable Entity', errors: ['Review body is required'] },
          };
        }
        // GitHub resolves every comment first and rejects the whole review if one does not fit.
        for (const c of comments) {
          const bad = tooLong(c.body) ?? this.outsideDiff(p, c);
          if (bad) return bad;
        }
        const review: Review = {
          id: this.id(),
          pull_number: p.number,
          commit_id: (body.commit_id as string | undefined) ?? p.head.sha,
          body: (body.body as string | undefined) ?? '',
          state:
            event === 'APPROVE'
              ? 'APPROVED'
              : event === 'REQUEST_CHANGES'
                ? 'CHANGES_REQUESTED'
                : event
                  ? 'COMMENTED'
                  : 'PENDING',
          user: this.actor,
        };
        this.reviews.push(review);
        for (const c of comments) {
          this.reviewComments.push({
            id: this.id(),
            pull_number: p.number,
            pull_request_review_id: review.id,
            path: String(c.path),
            line: (c.line as number | undefined) ?? null,
            side: (c.side as 'LEFT' | 'RIGHT' | undefined) ?? 'RIGHT',
            body: String(c.body),
            commit_id: review.commit_id,
            user: this.actor,
          });
        }
        return { status: 200, body: this.reviewJson(review) };
      },
      'pulls/create-review-comment': ({ values, body }) => {
        const p = pull(values);
        if (!p) return notFound;
        const bad = tooLong(body.body);
        if (bad) return bad;
        if (body.in_reply_to !== undefined) return this.replyTo(Number(body.in_reply_to), String(body.body));
        const outside = this.outsideDiff(p, body);
        if (outside) return outside;
        const c: ReviewComment = {
          id: this.id(),
          pull_number: p.number,
          pull_request_review_id: null,
          path: String(body.path),
          line: (body.line as number | undefined) ?? null,
          side: (body.side as 'LEFT' | 'RIGHT' | undefined) ?? 'RIGHT',
          body: String(body.body),
          commit_id: String(body.commit_id),
          user: this.actor,
        };
        this.reviewComments.push(c);
        return { status: 201, body: this.reviewCommentJson(c) };
      },
      'pulls/create-reply-for-review-comment': ({ values, body }) =>
        tooLong(body.body) ?? this.replyTo(Number(values.path.comment_id), String(body.body)),
      'pulls/update-review-comment': ({ values, body }) => {
        const c = this.reviewComments.find((x) => x.id === Number(values.path.comment_id));
        if (!c) return notFound;
        const bad = tooLong(body.body);
        if (bad) return bad;
        c.body = String(body.body);
        return { status: 200, body: this.reviewCommentJson(c) };
      },
      'pulls/delete-review-comment': ({ values }) => {
        const i = this.reviewComments.findIndex((x) => x.id === Number(values.path.comment_id));
        if (i < 0) return notFound;
        this.reviewComments.splice(i, 1);
        return { status: 204 };
      },
      'issues/list-comments': ({ values, url }) =>
        this.page(
          url,
          this.issueComments
            .filter((c) => c.issue_number === Number(values.path.issue_number))
            .map((c) => this.issueCommentJson(c)),
        ),
      'issues/create-comment': ({ values, body }) => {
        const bad = tooLong(body.body);
        if (bad) return bad;
        const c: IssueComment = {
          id: this.id(),
          issue_number: Number(values.path.issue_number),
          body: String(body.body),
          user: this.actor,
          created_at: now(),
          updated_at: now(),
        };
        this.issueComments.push(c);
        return { status: 201, body: this.issueCommentJson(c) };
      },
      'issues/update-comment': ({ values, body }) => {
        const c = this.issueComments.find((x) => x.id === Number(values.path.comment_id));
        if (!c) return notFound;
        const bad = tooLong(body.body);
        if (bad) return bad;
        c.body = String(body.body);
        c.updated_at = now();
        return { status: 200, body: this.issueCommentJson(c) };
      },
      'issues/delete-comment': ({ values }) => {
        const i = this.issueComments.findIndex((x) => x.id === Number(values.path.comment_id));
        if (i < 0) return notFound;
        this.issueComments.splice(i, 1);
        return { status: 204 };
      },
      'checks/create': ({ body }) => {
        const output = (body.output as Record<string, unknown> | undefined) ?? {};
        const run: CheckRun = {
          id: this.id(),
          name: String(body.name),
          head_sha: String(body.head_sha),
          status: body.conclusion ? 'completed' : String(body.status ?? 'queued'),
          conclusion: (body.conclusion as string | undefined) ?? null,
          output: {
            title: (output.title as string | undefined) ?? null,
            summary: (output.summary as string | undefined) ?? null,
            text: (output.text as string | undefined) ?? null,
          },
          annotations: [],
          annotationBatches: [],
        };
        this.addAnnotations(run, output);
        this.checkRuns.push(run);
        return { status: 201, body: this.checkRunJson(run) };
      },
      'checks/update': ({ values, body }) => {
        const run = this.checkRuns.find((r) => r.id === Number(values.path.check_run_id));
        if (!run) return notFound;
        if (body.status) run.status = String(body.status);
        if (body.conclusion) {
          run.conclusion = String(body.conclusion);
          run.status = 'completed';
        }
        const output = body.output as Record<string, unknown> | undefined;
        if (output) {
          run.output.title = (output.title as string | undefined) ?? run.output.title;
          run.output.summary = (output.summary as string | undefined) ?? run.output.summary;
          run.output.text = (output.text as string | undefined) ?? run.output.text;
          this.addAnnotations(run, output);
        }
        return { status: 200, body: this.checkRunJson(run) };
      },
      'checks/list-annotations': ({ values, url }) => {
        const run = this.checkRuns.find((r) => r.id === Number(values.path.check_run_id));
        return run ? this.page(url, run.annotations) : notFound;
      },
      'issues/list-for-repo': ({ values, url }) => {
        const state = (values.query.state as string | undefined) ?? 'open';
        const labels = values.query.labels ? String(values.query.labels).split(',') : [];
        const list = this.issues.filter(
          (i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)),
        );
        return this.page(
          url,
          list.map((i) => this.issueJson(i)),
        );
      },
      'issues/get': ({ values }) => {
        const issue = this.issues.find((i) => i.number === Number(values.path.issue_number));
        return issue ? { status: 200, body: this.issueJson(issue) } : notFound;
      },
      'issues/create': ({ body }) => {
        const bad = tooLong(body.body);
        if (bad) return bad;
        const issue: Issue = {
          number: this.nextIssueNumber(),
          title: String(body.title),
          body: String(body.body ?? ''),
          state: 'open',
          labels: labelNames(body.labels),
          user: this.actor,
        };
        for (const l of issue.labels) this.ensureLabel(l);
        this.issues.push(issue);
        return { status: 201, body: this.issueJson(issue) };
      },
      'issues/update': ({ values, body }) => {
        const issue = this.issues.find((i) => i.number === Number(values.path.issue_number));
        if (!issue) return notFound;
        const bad = tooLong(body.body);
        if (bad) return bad;
        if (typeof body.title === 'string') issue.title = body.title;
        if (typeof body.body === 'string') issue.body = body.body;
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        if (body.labels) issue.labels = labelNames(body.labels);
        return { status: 200, body: this.issueJson(issue) };
      },
      'issues/add-labels': ({ values, body }) => {
        const issue = this.issues.find((i) => i.number === Number(values.path.issue_number));
        if (!issue) return notFound;
        for (const l of labelNames(Array.isArray(body) ? body : body.labels)) {
          this.ensureLabel(l);
          if (!issue.labels.includes(l)) issue.labels.push(l);
        }
        return { status: 200, body: issue.labels.map((l) => this.labelJson(this.labels.get(l)!)) };
      },
      'issues/get-label': ({ values }) => {
        const l = this.labels.get(String(values.path.name));
        return l ? { status: 200, body: this.labelJson(l) } : notFound;
      },
      'issues/create-label': ({ body }) => {
        const name = String(body.name);
        if (this.labels.has(name)) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
            },
          };
        }
        const l: Label = {
          name,
          color: String(body.color ?? 'ededed'),
          description: (body.description as string | undefined) ?? null,
        };
        this.labels.set(name, l);
        return { status: 201, body: this.labelJson(l) };
      },
      'issues/list-labels-for-repo': ({ url }) =>
        this.page(
          url,
          [...this.labels.values()].map((l) => this.labelJson(l)),
        ),
    };
  }

  /** GitHub's rule: a RIGHT-side comment must sit on an added or context line of a hunk. */
  private outsideDiff(p: Pull, c: Record<string, unknown>): Reply | undefined {
    const file = p.files.find((f) => f.filename === c.path);
    const line = Number(c.line ?? c.position);
    const side = (c.side as string | undefined) ?? 'RIGHT';
    const ok =
      file !== undefined &&
      (side === 'RIGHT' ? rightSideLines(file.patch).has(line) : leftSideLines(file.patch).has(line));
    if (ok) return undefined;
    return {
      status: 422,
      body: {
        message: 'Unprocessable Entity',
        errors: [
          "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
        ],
        documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
      },
    };
  }

  private replyTo(to: number, body: string): Reply {
    const parent = this.reviewComments.find((c) => c.id === to);
    if (!parent) return { status: 404, body: { message: 'Not Found' } };
    const c: ReviewComment = {
      ...parent,
      id: this.id(),
      body,
      in_reply_to_id: to,
      user: this.actor,
      pull_request_review_id: null,
    };
    this.reviewComments.push(c);
    return { status: 201, body: this.reviewCommentJson(c) };
  }

  private addAnnotations(run: CheckRun, output: Record<string, unknown>): void {
    const list = (output.annotations as Record<string, unknown>[] | undefined) ?? [];
    if (list.length === 0) return;
    run.annotations.push(...list);
    run.annotationBatches.push(list.length);
  }

  private nextIssueNumber(): number {
    const used = [...this.pulls.keys(), ...this.issues.map((i) => i.number)];
    return Math.max(0, ...used) + 1;
  }

  private ensureLabel(name: string): void {
    if (!this.labels.has(name)) this.labels.set(name, { name, color: 'ededed', description: null });
  }

  /** One page of a list, with the Link header Octokit's paginate follows. */
  private page(url: URL, items: unknown[]): Reply {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('per_page', String(perPage));
      const last = new URL(next.toString());
      last.searchParams.set('page', String(Math.ceil(items.length / perPage)));
      headers.link = `<${next}>; rel="next", <${last}>; rel="last"`;
    }
    return { status: 200, body: slice, headers };
  }

  // -------------------------------------------------------------------------------------------
  // JSON shapes (the fields clients read)

  private userJson(u: User) {
    return { login: u.login, id: u.id, type: u.type, node_id: `U_${u.id}` };
  }

  private pullJson(p: Pull, here: string) {
    return {
      id: p.number * 10,
      number: p.number,
      state: 'open',
      title: p.title,
      head: { sha: p.head.sha, ref: p.head.ref, repo: { full_name: p.head.repo ?? here } },
      base: { sha: p.base.sha, ref: p.base.ref, repo: { full_name: here } },
      changed_files: p.files.length,
    };
  }

  private fileJson(f: PullFile) {
    return {
      sha: '0'.repeat(40),
      filename: f.filename,
      status: f.status,
      additions: f.additions ?? 0,
      deletions: f.deletions ?? 0,
      changes: (f.additions ?? 0) + (f.deletions ?? 0),
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
    };
  }

  private reviewJson(r: Review) {
    return { id: r.id, body: r.body, state: r.state, commit_id: r.commit_id, user: this.userJson(r.user) };
  }

  private reviewCommentJson(c: ReviewComment) {
    return {
      id: c.id,
      pull_request_review_id: c.pull_request_review_id,
      path: c.path,
      line: c.line,
      side: c.side,
      body: c.body,
      commit_id: c.commit_id,
      user: this.userJson(c.user),
      ...(c.in_reply_to_id !== undefined ? { in_reply_to_id: c.in_reply_to_id } : {}),
    };
  }

  private issueCommentJson(c: IssueComment) {
    return {
      id: c.id,
      body: c.body,
      user: this.userJson(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
    };
  }

  private checkRunJson(r: CheckRun) {
    return {
      id: r.id,
      name: r.name,
      head_sha: r.head_sha,
      status: r.status,
      conclusion: r.conclusion,
      output: { ...r.output, annotations_count: r.annotations.length },
    };
  }

  private issueJson(i: Issue) {
    return {
      id: i.number * 100,
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      labels: i.labels.map((l) =>
        this.labelJson(this.labels.get(l) ?? { name: l, color: 'ededed', description: null }),
      ),
      user: this.userJson(i.user),
    };
  }

  private labelJson(l: Label) {
    return { id: hash(l.name), name: l.name, color: l.color, description: l.description };
  }
}

/** New-file lines a patch shows: its own reading of the unified diff, independent of src/. */
export function rightSideLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  let remaining = 0;
  for (const line of (patch ?? '').split('\n')) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (header) {
      next = Number(header[1]);
      remaining = header[2] === undefined ? 1 : Number(header[2]);
      continue;
    }
    if (remaining <= 0) continue;
    if (line.startsWith('+') || line.startsWith(' ') || line === '') {
      lines.add(next++);
      remaining--;
    }
  }
  return lines;
}

/** Old-file lines a LEFT-side comment may sit on: deleted lines and context lines of the hunks. */
export function leftSideLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  let remaining = 0;
  for (const line of (patch ?? '').split('\n')) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (header) {
      next = Number(header[1]);
      remaining = header[2] === undefined ? 1 : Number(header[2]);
      continue;
    }
    if (remaining <= 0) continue;
    if (line.startsWith('-') || line.startsWith(' ') || line === '') {
      lines.add(next++);
      remaining--;
    }
  }
  return lines;
}

function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((l) => (typeof l === 'string' ? l : String((l as { name?: string }).name)));
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return Math.abs(h);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (reply.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

export async function startGitHubServer(): Promise<GitHubServer> {
  return new GitHubServer().start();
}
