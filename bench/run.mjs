// `npm run bench [name...]`: run the benchmarks in bench/ (check, pathological, render, drift) and print their figures.
// Each bench module exports run(); figures go into docs/benchmarks.md by hand, with the machine and date.
import { existsSync } from 'node:fs';
import path from 'node:path';

const names =
  process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['check', 'pathological', 'render', 'drift'];
for (const name of names) {
  const file = path.join(import.meta.dirname, `${name}.mjs`);
  if (!existsSync(file)) {
    console.log(`bench ${name}: no bench/${name}.mjs`);
    continue;
  }
  console.log(`\n== bench ${name}`);
  const mod = await import(file);
  const result = await mod.run();
  console.log(JSON.stringify(result, null, 2));
}
