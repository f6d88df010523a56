import type { Command } from '../io.js';
import { check } from './check.js';
import { diff } from './diff.js';
import { drift } from './drift.js';
import { render } from './render.js';
import { rules } from './rules.js';

/** Every CLI command. To add one (`render`, `diff`, `drift`), write commands/<name>.ts and list it here. */
export const COMMANDS: readonly Command[] = [check, render, diff, rules, drift];
