import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Run the bundled Action (`node dist/index.js`) the way the runner does: every input from
 * action.yml as an INPUT_* variable (defaults filled in, names upper-cased with spaces as
 * underscores and hyphens kept), the event payload in a file, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, and the GitHub API pointed at the local server. Asynchronous, so
 * the local server in this process keeps answering.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
/**
 * The bundle to run: dist/index.js, or a scratch build named by SHIPSHAPE_TEST_BUNDLE (a folder
 * with index.js), to try a change without rebuilding dist/.
 */
export const ACTION_BUNDLE = process.env.SHIPSHAPE_TEST_BUNDLE
  ? path.resolve(process.env.SHIPSHAPE_TEST_BUNDLE, 'index.js')
  : path.join(ROOT, 'dist/index.js');
export const TOKEN = 'ghs_e2eTestToken1234567890';

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The report files the outputs name, read before the runner's temporary folder goes. */
  reports: { json?: string; sarif?: string; result?: string };
  /** What the Action left in RUNNER_TEMP. */
  runnerTemp: string[];
}

export interface RunOptions {
  workspace: string;
  apiUrl: string;
  eventName: string;
  payload: Record<string, unknown>;
  sha: string;
  inputs?: Record<string, string>;
  repository?: string;
}

function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    // The runner evaluates expressions in defaults; the only one used is the workflow token.
    out[name] = (spec.default ?? '').replace(['${{', 'github.token', '}}'].join(' '), TOKEN);
  }
  return out;
}

/** The runner's name mangling for input variables. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'shipshape-runner-'));
  try {
    const eventPath = path.join(tmp, 'event.json');
    const outputPath = path.join(tmp, 'output');
    const summaryPath = path.join(tmp, 'summary.md');
    writeFileSync(eventPath, JSON.stringify(options.payload));
    writeFileSync(outputPath, '');
    writeFileSync(summaryPath, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: tmp,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_API_URL: options.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
      GITHUB_REPOSITORY: options.repository ?? 'acme/shop',
      GITHUB_SHA: options.sha,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_RUN_ID: '4242',
      RUNNER_TEMP: path.join(tmp, 'runner-temp'),
    };
    mkdirSync(env.RUNNER_TEMP, { recursive: true });
    for (const [name, value] of Object.entries({ ...actionDefaults(), ...options.inputs })) {
      env[inputVariable(name)] = value;
    }
    const child = spawn(process.execPath, [ACTION_BUNDLE], {
      cwd: options.workspace,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    const outputs = parseOutputs(readFileSync(outputPath, 'utf8'));
    const read = (file: string | undefined) =>
      file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    return {
      code,
      stdout,
      stderr,
      outputs,
      summary: readFileSync(summaryPath, 'utf8'),
      reports: {
        json: read(outputs['report-json']),
        sarif: read(outputs['report-sarif']),
        result: read(outputs['result-file']),
      },
      runnerTemp: existsSync(env.RUNNER_TEMP)
        ? readdirSync(env.RUNNER_TEMP, { recursive: true }).map(String).sort()
        : [],
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks (and plain `name=value` lines). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const [k, ...v] = lines[i].split('=');
      out[k] = v.join('=');
    }
  }
  return out;
}

/** A `pull_request` event payload with the fields GitHub sends that the Action reads. */
export function pullRequestEvent(options: {
  number: number;
  baseSha: string;
  headSha: string;
  action?: string;
  headRepo?: string;
  repo?: string;
}): Record<string, unknown> {
  const repo = options.repo ?? 'acme/shop';
  const [owner, name] = repo.split('/');
  const headRepo = options.headRepo ?? repo;
  const repoJson = (full: string) => ({
    id: full.length,
    name: full.split('/')[1],
    full_name: full,
    private: false,
    owner: { login: full.split('/')[0], type: 'Organization' },
    fork: full !== repo,
  });
  return {
    action: options.action ?? 'synchronize',
    number: options.number,
    pull_request: {
      url: `https://api.github.com/repos/${repo}/pulls/${options.number}`,
      id: 1000 + options.number,
      number: options.number,
      state: 'open',
      draft: false,
      title: 'Change the shop',
      user: { login: 'octocat', type: 'User' },
      head: {
        label: `${headRepo.split('/')[0]}:feature`,
        ref: 'feature',
        sha: options.headSha,
        repo: repoJson(headRepo),
      },
      base: { label: `${owner}:main`, ref: 'main', sha: options.baseSha, repo: repoJson(repo) },
    },
    repository: { ...repoJson(repo), name, default_branch: 'main' },
    sender: { login: 'octocat', type: 'User' },
  };
}
