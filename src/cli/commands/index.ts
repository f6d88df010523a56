import type { Command } from '../io.js';
import { check } from './check.js';
import { drift } from './drift.js';
import { rules } from './rules.js';

/** Every CLI command. To add one (`render`, `diff`, `drift`), write commands/<name>.ts and list it here. */
export const COMMANDS: readonly Command[] = [check, rules, drift];
