import type { GitHubSession } from './client.js';

/**
 * The `shipshape` check run: a conclusion branch protection can require, and one annotation per
 * finding. GitHub takes at most 50 annotations per request, so the first batch rides on the
 * create call and the rest are appended by updates; the conclusion comes with the last one.
 */

export const ANNOTATIONS_PER_REQUEST = 50;
const OUTPUT_TEXT_LIMIT = 65_535;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: readonly Annotation[];
  detailsUrl?: string;
}

export interface CheckRunOutcome {
  id?: number;
  annotations: number;
  failed: boolean;
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function clip(text: string, limit = OUTPUT_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const note = '\n\n… (shortened; the job summary and the JSON report have everything)';
  return text.slice(0, limit - note.length) + note;
}

export async function publishCheckRun(
  session: GitHubSession,
  input: CheckRunInput,
): Promise<CheckRunOutcome> {
  const output = (annotations: Annotation[]) => ({
    title: input.title,
    summary: clip(input.summary),
    ...(annotations.length > 0 ? { annotations } : {}),
  });
  const groups = batches(input.annotations, ANNOTATIONS_PER_REQUEST);
  const first = groups.shift() ?? [];
  const done = groups.length === 0;
  const created = await session.call('create check run', (gh) =>
    gh.rest.checks.create({
      ...session.repo,
      name: input.name,
      head_sha: input.headSha,
      ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
      ...(done
        ? {
            status: 'completed' as const,
            conclusion: input.conclusion,
            completed_at: new Date().toISOString(),
          }
        : { status: 'in_progress' as const }),
      output: output(first),
    }),
  );
  if (!created) return { annotations: 0, failed: true };
  const id = created.data.id;
  let sent = first.length;
  let failed = false;
  for (let i = 0; i < groups.length; i++) {
    const last = i === groups.length - 1;
    const ok = await session.call(`update check run ${id}`, (gh) =>
      gh.rest.checks.update({
        ...session.repo,
        check_run_id: id,
        ...(last
          ? {
              status: 'completed' as const,
              conclusion: input.conclusion,
              completed_at: new Date().toISOString(),
            }
          : {}),
        output: output(groups[i]),
      }),
    );
    if (ok) sent += groups[i].length;
    else failed = true;
  }
  if (failed) {
    // Make sure the run does not stay in progress forever when an annotation batch failed.
    await session.call(`complete check run ${id}`, (gh) =>
      gh.rest.checks.update({
        ...session.repo,
        check_run_id: id,
        status: 'completed',
        conclusion: input.conclusion,
        completed_at: new Date().toISOString(),
      }),
    );
  }
  return { id, annotations: sent, failed };
}
