import * as core from '@actions/core';
import type { Log } from '../github/client.js';
import { inertInLog } from '../model/text.js';

/**
 * The Action's log for messages that carry text from the repository (folder and file names, a
 * tool's output): `core.info` writes its message as it is, so the message is made inert first and
 * a name like `::add-mask::x` cannot act as a workflow command. `core.warning` and `core.debug`
 * escape their data themselves. (Multi-line chunks are also made inert where output is written,
 * output.ts; this covers the one-line message that begins with such a name.)
 */
export const actionLog: Log = {
  info: (m) => core.info(inertInLog(m)),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};
