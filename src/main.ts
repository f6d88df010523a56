/**
 * The one bundle's entry (dist/index.js): the Action, which the runner starts as
 * `node dist/index.js`, or the CLI, when the `shipshape` launcher (dist/cli.js) has set the
 * mark below before loading this module. Each is a chunk loaded on demand, and what they share
 * (the loader, the rules, the renderers, the cluster client) is bundled once.
 */

export const CLI_MARK = Symbol.for('shipshape.cli');

if ((globalThis as Record<symbol, unknown>)[CLI_MARK] === true) await import('./cli/main.js');
else await import('./action/main.js');
