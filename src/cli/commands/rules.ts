import { parseArgs } from 'node:util';
import { RULE_FORMATS, type RuleFormat, renderRules } from '../../report/rules.js';
import { ALL_RULES } from '../../rules/index.js';
import { type Command, EXIT, UsageError } from '../io.js';

const USAGE = `Usage: shipshape rules [--format ${RULE_FORMATS.join('|')}]

List every rule of the checklist with its category, default severity and what it wants.
--format markdown prints docs/rules.md.
`;

export const rules: Command = {
  name: 'rules',
  summary: 'list the rules of the checklist',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (!(RULE_FORMATS as readonly string[]).includes(values.format)) {
      throw new UsageError(`--format must be one of ${RULE_FORMATS.join(', ')}, not "${values.format}"`);
    }
    io.stdout.write(
      renderRules(
        values.format as RuleFormat,
        ALL_RULES.map((r) => r.meta),
      ),
    );
    return EXIT.ok;
  },
};
