// scripts/tools.sh chooses between binaries already on PATH and its own builds. It runs here from a copy
// in a scratch folder (it links into <its root>/.tools/bin), with fake binaries on PATH, and --print so
// that nothing is ever built: the real builds come from `npm run tools`.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toolPaths } from '../../../scripts/cluster.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'shipshape-tools-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the script with its own .tools/bin, and a folder of fake tools to put first on PATH. */
function sandbox(name: string) {
  const root = join(scratch, name);
  mkdirSync(join(root, 'scripts'), { recursive: true });
  copyFileSync(
    fileURLToPath(new URL('../../../scripts/tools.sh', import.meta.url)),
    join(root, 'scripts/tools.sh'),
  );
  const fakes = join(root, 'fakes');
  mkdirSync(fakes);
  const fake = (tool: string, script: string) => {
    writeFileSync(join(fakes, tool), `#!/bin/sh\n${script}\n`);
    chmodSync(join(fakes, tool), 0o755);
  };
  const run = (env: Record<string, string> = {}) =>
    spawnSync('bash', [join(root, 'scripts/tools.sh'), '--print'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${fakes}:/usr/bin:/bin`, ...env },
    });
  const linked = (tool: string) => readlinkSync(join(root, '.tools/bin', tool));
  return { fake, run, linked, fakes };
}

describe('scripts/tools.sh', () => {
  it('prefers its own kubectl over one of another minor on PATH', () => {
    const s = sandbox('wrong-minor');
    s.fake('kubectl', `echo '{"clientVersion": {"gitVersion": "v1.32.4-dispatcher"}}'`);
    const r = s.run();
    expect(r.status, r.stderr).toBe(0);
    expect(s.linked('kubectl')).toBe(realpathSync(toolPaths().kubectl));
    expect(r.stdout).toMatch(/^kubectl +v1\.36\.3 /m);
  });

  it('uses a suitable helm on PATH as it is', () => {
    const s = sandbox('suitable-helm');
    // A helm stamped with a real Kubernetes version, as official builds are (an unstamped one
    // assumes v1.20.0 and is not used).
    s.fake(
      'helm',
      `[ "$1" = version ] && printf v3.20.1; [ "$1" = template ] && printf 'v: v1.34.0\\n'; true`,
    );
    const r = s.run();
    expect(r.status, r.stderr).toBe(0);
    expect(s.linked('helm')).toBe(join(s.fakes, 'helm'));
    expect(r.stdout).toMatch(/^helm +v3\.20\.1 /m);
  });

  it('says what is missing and what to run when nothing is built', () => {
    const s = sandbox('empty-cache');
    const r = s.run({ SHIPSHAPE_TOOLS_CACHE: join(scratch, 'empty-cache', 'cache') });
    expect(r.status).toBe(1);
    // helm comes first, unless a machine has a suitable one in /usr/bin.
    expect(r.stderr).toMatch(/^tools: error: [a-z-]+( [a-z-]+)? v[\d.]+ not built; run: npm run tools\n$/);
  });
});
