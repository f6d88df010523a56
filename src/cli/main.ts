import { loadPaths } from '../load/files.js';
import { runRules } from '../rules/engine.js';
import { ALL_RULES } from '../rules/index.js';
import { DEFAULT_RULE_SETTINGS } from '../rules/types.js';

const [, , command, ...paths] = process.argv;
if (command !== 'check') {
  process.stderr.write('usage: shipshape check <paths...>\n');
  process.exit(2);
}
const loaded = await loadPaths(paths);
const findings = runRules(loaded.manifests, ALL_RULES, { settings: DEFAULT_RULE_SETTINGS });
process.stdout.write(`${JSON.stringify({ version: 1, findings, errors: loaded.errors }, null, 2)}\n`);
process.exit(findings.some((f) => f.severity === 'error') ? 1 : 0);
