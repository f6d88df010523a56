import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { relativeName } from '../load/files.js';

/** Read the text files under a folder into a map keyed by display path (`dir/sub/file`). */
export async function readTree(
  absDir: string,
  cwd: string,
  into: Map<string, string> = new Map(),
  pattern = /\.(ya?ml|tpl|txt|json)$/i,
): Promise<Map<string, string>> {
  const entries = await readdir(absDir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(absDir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') await readTree(full, cwd, into, pattern);
    } else if (e.isFile() && pattern.test(e.name)) {
      await readText(full, cwd, into);
    }
  }
  return into;
}

/** Read one file (at most 4 MiB) into the map; silently absent when unreadable. */
export async function readText(
  abs: string,
  cwd: string,
  into: Map<string, string>,
): Promise<string | undefined> {
  const st = await stat(abs).catch(() => undefined);
  if (!st?.isFile() || st.size > 4 * 1024 * 1024) return undefined;
  const text = await readFile(abs, 'utf8').catch(() => undefined);
  if (text !== undefined) into.set(relativeName(cwd, abs), text);
  return text;
}
