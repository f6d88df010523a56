import type { GitHubSession } from './client.js';
import type { ChangedFile } from './hunks.js';

/**
 * The pull request's changed files with their patches, every page of them. GitHub lists at most
 * 3,000 files; a larger pull request gets a warning, and the caller also uses git for the names.
 */
export async function listChangedFiles(
  session: GitHubSession,
  pullNumber: number,
): Promise<ChangedFile[] | undefined> {
  const files = await session.call('list pull request files', (gh) =>
    gh.paginate(gh.rest.pulls.listFiles, { ...session.repo, pull_number: pullNumber, per_page: 100 }),
  );
  if (!files) return undefined;
  if (files.length >= 3000) {
    session.log.warning('GitHub lists at most 3,000 changed files; shipshape also reads the rest from git');
  }
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
  }));
}
