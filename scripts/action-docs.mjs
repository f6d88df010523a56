// The README's inputs and outputs tables, generated from action.yml so the two never disagree.
// `npm run docs` rewrites the block between the markers; test/unit/repo/packaging.test.ts fails
// when it is stale.
import { parse } from 'yaml';

export const START = '<!-- action-inputs:start (generated from action.yml by `npm run docs`) -->';
export const END = '<!-- action-inputs:end -->';

const cell = (text) => String(text).replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

/** The two tables, as Markdown, from the text of action.yml. */
export function actionTables(actionYml) {
  const action = parse(actionYml);
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.default ? `\`${cell(spec.default)}\`` : ''} | ${cell(spec.description ?? '')} |`,
  );
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? '')} |`,
  );
  return [
    '| input | default | meaning |',
    '| --- | --- | --- |',
    ...inputs,
    '',
    '| output | meaning |',
    '| --- | --- |',
    ...outputs,
  ].join('\n');
}

/** The README with its generated block replaced (or undefined when the markers are missing). */
export function withActionTables(readme, actionYml) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + START.length)}\n${actionTables(actionYml)}\n${readme.slice(end)}`;
}
