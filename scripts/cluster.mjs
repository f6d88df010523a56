#!/usr/bin/env node
// A local Kubernetes control plane for tests and demos: etcd and kube-apiserver as plain processes.
//
//   npm run cluster -- up [--name NAME] [--kubeconfig PATH]   start (prints KUBECONFIG=... and PATH=...)
//   npm run cluster -- status [--name NAME]                    is it up and ready?
//   npm run cluster -- down [--name NAME] | down --all         stop it and remove its state
//
// What it is: etcd on loopback, kube-apiserver on loopback with TLS from a CA generated here, client
// certificates, RBAC on, service-account signing keys, and an admin kubeconfig (a member of
// system:masters). What it is not: there is no kubelet, scheduler or controller manager, so no pod ever
// runs, Deployments never get ReplicaSets, and the `default` service account of a namespace is never
// created (the controller manager does that). Namespaces, service accounts, RBAC, token requests, server-
// side apply and managedFields all work, which is what shipshape's tests need.
//
// Everything lives in one folder, <tmp>/shipshape-cluster-<name>, marked by a state file. We only ever
// delete folders and kubeconfigs that carry our mark, and never overwrite a kubeconfig someone else wrote.
//
// The same functions (up, down, status, listStates) are imported by the vitest helper in
// test/integration/support/cluster.ts; their types are in cluster.d.mts.

import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';

const run = promisify(execFile);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where `npm run tools` links helm, kustomize, kubectl, kube-apiserver and etcd. */
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');
export const TOOL_NAMES = ['kubectl', 'helm', 'kustomize', 'kube-apiserver', 'etcd'];

const STATE_PREFIX = 'shipshape-cluster-';
const STATE_FILE = 'shipshape-cluster.json';
/** The mark on every kubeconfig we write: a kubeconfig extension (survives `kubectl config` rewrites). */
const KUBECONFIG_EXTENSION = 'shipshape.dev/local-cluster';
const READY_TIMEOUT_MS = 60_000;

class ClusterError extends Error {
  name = 'ClusterError';
}

/** Absolute paths of the tools, or a clear error naming what is missing and how to get it. */
export function toolPaths() {
  const missing = TOOL_NAMES.filter((t) => !existsSync(join(TOOLS_BIN, t)));
  if (missing.length > 0) {
    throw new ClusterError(
      `${missing.join(', ')} not found in ${TOOLS_BIN}: run \`npm run tools\` first (it builds them once per machine)`,
    );
  }
  return Object.fromEntries(TOOL_NAMES.map((t) => [t, join(TOOLS_BIN, t)]));
}

export function stateDirFor(name) {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) {
    throw new ClusterError(`cluster name "${name}" must be lowercase letters, digits and dashes`);
  }
  return join(tmpdir(), STATE_PREFIX + name);
}

/**
 * Start a control plane. Resolves once /readyz answers ok.
 * @param {{ name?: string, kubeconfig?: string, detached?: boolean }} [options]
 */
export async function up(options = {}) {
  const name = options.name ?? `t${process.pid}-${Date.now().toString(36)}`;
  const dir = stateDirFor(name);
  const kubeconfig = options.kubeconfig ? resolve(options.kubeconfig) : join(dir, 'kubeconfig');
  const tools = toolPaths();
  if (existsSync(dir)) {
    throw new ClusterError(
      `${dir} already exists: run \`npm run cluster -- down --name ${name}\` first, or pick another --name`,
    );
  }
  assertKubeconfigIsOurs(kubeconfig, 'overwrite');

  const started = performance.now();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Mark the folder as ours before anything else, so that `down` can clean up a half-started cluster.
  const state = {
    name,
    dir,
    kubeconfig,
    pids: {},
    server: '',
    startedAt: new Date().toISOString(),
    // A test run's clusters belong to its process; the CLI's outlive the command that started them.
    ownerPid: options.detached ? null : process.pid,
  };
  await saveState(state);
  try {
    const pki = await makePki(dir);
    await startProcesses(state, pki, tools, options.detached);
    state.readyAfterMs = Math.round(performance.now() - started);
    await saveState(state);
    return { ...state, tools, pathDir: TOOLS_BIN };
  } catch (error) {
    await down({ name }).catch(() => {});
    throw error;
  }
}

/**
 * Stop a control plane and remove its folder (and its kubeconfig, if it is one we wrote).
 * @param {{ name: string }} options
 */
export async function down({ name }) {
  const dir = stateDirFor(name);
  const state = readState(dir);
  if (!state) {
    if (existsSync(dir)) throw new ClusterError(`${dir} has no ${STATE_FILE}: not ours, left untouched`);
    return false;
  }
  await Promise.all(Object.values(state.pids).map((pid) => stopPid(pid, dir)));
  if (
    state.kubeconfig &&
    !state.kubeconfig.startsWith(dir + '/') &&
    kubeconfigMark(state.kubeconfig) === name
  ) {
    await rm(state.kubeconfig, { force: true });
  }
  await rm(dir, { recursive: true, force: true });
  return true;
}

/** @param {{ name: string }} options */
export async function status({ name }) {
  const dir = stateDirFor(name);
  const state = readState(dir);
  if (!state) return { name, dir, up: false, ready: false, processes: {} };
  const processes = Object.fromEntries(
    Object.entries(state.pids).map(([tool, pid]) => [tool, isOurProcess(pid, dir) ? pid : null]),
  );
  const running = Object.values(processes).every((pid) => pid !== null);
  let ready = false;
  if (running && state.server) {
    const pki = pkiPaths(dir);
    ready = await readyz(state.server, pki).then(
      (r) => r.ok,
      () => false,
    );
  }
  return { ...state, up: running, ready, processes };
}

/** Names of every cluster folder under the temp dir that carries our mark. */
export async function listStates() {
  const entries = await readdir(tmpdir()).catch(() => []);
  return entries
    .filter((e) => e.startsWith(STATE_PREFIX) && existsSync(join(tmpdir(), e, STATE_FILE)))
    .map((e) => e.slice(STATE_PREFIX.length));
}

/**
 * Stop the clusters of test processes that died without cleaning up (a worker killed by a timeout, say),
 * so that leaked API servers do not pile up on a machine. Clusters started by the CLI have no owner and
 * are left alone. Returns the names it removed.
 */
export async function sweepOrphans() {
  const removed = [];
  for (const name of await listStates()) {
    const state = readState(stateDirFor(name));
    if (state?.ownerPid && !isAlive(state.ownerPid)) {
      await down({ name }).then(
        () => removed.push(name),
        () => {},
      );
    }
  }
  return removed;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------------------------------
// Certificates

function pkiPaths(dir) {
  const p = (f) => join(dir, 'pki', f);
  return {
    dir: join(dir, 'pki'),
    caKey: p('ca.key'),
    caCert: p('ca.crt'),
    serverKey: p('apiserver.key'),
    serverCert: p('apiserver.crt'),
    adminKey: p('admin.key'),
    adminCert: p('admin.crt'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
}

/**
 * A CA, the API server's serving certificate (127.0.0.1, localhost and the in-cluster names), an admin
 * client certificate in system:masters, and the service-account signing key pair. ECDSA P-256 keys:
 * generating them takes milliseconds, where RSA would cost most of our startup time.
 */
async function makePki(dir) {
  const pki = pkiPaths(dir);
  await mkdir(pki.dir, { mode: 0o700 });
  const ssl = (...args) => run('openssl', args, { cwd: pki.dir }).catch(opensslError);
  const ecKey = (out) =>
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out);

  await Promise.all([ecKey(pki.caKey), ecKey(pki.serverKey), ecKey(pki.adminKey), ecKey(pki.saKey)]);
  await ssl('pkey', '-in', pki.saKey, '-pubout', '-out', pki.saPub);
  // biome-ignore format: openssl arguments read best as flag/value pairs
  await ssl(
    'req', '-x509', '-new', '-key', pki.caKey, '-days', '30', '-subj', '/CN=shipshape-local-ca', '-out', pki.caCert,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  );
  const sign = async (key, cert, subject, extensions) => {
    const csr = `${cert}.csr`;
    const ext = `${cert}.ext`;
    await writeFile(ext, extensions);
    await ssl('req', '-new', '-key', key, '-subj', subject, '-out', csr);
    // biome-ignore format: openssl arguments read best as flag/value pairs
    await ssl(
      'x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial', '-days', '30',
      '-extfile', ext, '-out', cert,
    );
    await Promise.all([rm(csr), rm(ext)]);
  };
  const sans = [
    'IP:127.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
  // One at a time: both signatures bump the CA's serial file.
  await sign(
    pki.serverKey,
    pki.serverCert,
    '/CN=kube-apiserver',
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`,
  );
  await sign(
    pki.adminKey,
    pki.adminCert,
    '/O=system:masters/CN=shipshape-admin',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
  );
  return pki;
}

function opensslError(error) {
  if (error.code === 'ENOENT') {
    throw new ClusterError('openssl is not on PATH: install it (Debian/Ubuntu: apt-get install openssl)');
  }
  throw new ClusterError(`openssl failed: ${error.stderr || error.message}`);
}

// ---------------------------------------------------------------------------------------------------
// Processes

function etcdArgs(dir, clientPort, peerPort) {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    '--name=shipshape',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=shipshape=${peer}`,
    '--initial-cluster-state=new',
    // A throwaway test store: durability buys nothing and fsync is most of etcd's write latency.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

function apiserverArgs(pki, etcdClientPort, apiPort) {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${pki.dir}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.caCert}`,
    '--authorization-mode=RBAC',
    '--anonymous-auth=false',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--allow-privileged=true',
    // The kubernetes Service's endpoints would have to name a non-loopback address; nothing here needs them.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    '--v=1',
  ];
}

/**
 * Start etcd and kube-apiserver on free ports and wait until the API server is ready. A port found free
 * can be taken by someone else before our process binds it (parallel test files do this to each other),
 * so a start that fails with "address already in use" is retried on new ports.
 */
async function startProcesses(state, pki, tools, detached) {
  for (let attempt = 1; ; attempt++) {
    const [etcdClient, etcdPeer, apiPort] = await freePorts(3);
    state.server = `https://127.0.0.1:${apiPort}`;
    const args = {
      etcd: etcdArgs(state.dir, etcdClient, etcdPeer),
      'kube-apiserver': apiserverArgs(pki, etcdClient, apiPort),
    };
    const children = Object.entries(args).map(([tool, a]) => {
      const child = startProcess(state.dir, tool, tools[tool], a, detached);
      state.pids[tool] = child.pid;
      return child;
    });
    await saveState(state);
    await writeKubeconfig(state.kubeconfig, state, pki);
    try {
      await waitReady(state, pki, children);
      return;
    } catch (error) {
      if (attempt >= 3 || !error.portInUse) throw error;
      await Promise.all(Object.values(state.pids).map((pid) => stopPid(pid, state.dir)));
      await rm(join(state.dir, 'etcd'), { recursive: true, force: true });
    }
  }
}

/**
 * Start a tool with its output in <dir>/<tool>.log. Detached processes (the CLI's) outlive this Node
 * process; attached ones (the test helper's) are also killed when it exits normally.
 */
function startProcess(dir, tool, path, args, detached = false) {
  const log = openSync(join(dir, `${tool}.log`), 'w'); // a retry starts a fresh log
  const child = spawn(path, args, { cwd: dir, stdio: ['ignore', log, log], detached });
  child.on('error', () => {}); // reported by waitReady through the exit code and the log
  if (detached) child.unref();
  return child;
}

async function waitReady(state, pki, children) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  for (;;) {
    for (const [i, tool] of ['etcd', 'kube-apiserver'].entries()) {
      if (children[i].exitCode !== null || children[i].signalCode !== null) {
        const log = tail(state.dir, tool);
        const error = new ClusterError(
          `${tool} exited early (${children[i].exitCode ?? children[i].signalCode}):\n${log}`,
        );
        error.portInUse = log.includes('address already in use');
        throw error;
      }
    }
    try {
      const r = await readyz(state.server, pki);
      if (r.ok) return;
      last = `readyz ${r.status}: ${r.body
        .split('\n')
        .filter((l) => l.includes('[-]'))
        .join(' ')}`;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) {
      throw new ClusterError(
        `kube-apiserver not ready after ${READY_TIMEOUT_MS / 1000} s (${last}):\n${tail(state.dir, 'kube-apiserver')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function readyz(server, pki) {
  return new Promise((resolveReady, reject) => {
    const req = request(
      `${server}/readyz?verbose`,
      {
        ca: readFileSync(pki.caCert),
        cert: readFileSync(pki.adminCert),
        key: readFileSync(pki.adminKey),
        timeout: 2000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolveReady({ ok: res.statusCode === 200, status: res.statusCode, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('readyz timed out')));
    req.on('error', reject);
    req.end();
  });
}

function tail(dir, tool, lines = 15) {
  try {
    return readFileSync(join(dir, `${tool}.log`), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/** Free loopback ports, all held open together so that the kernel hands out distinct ones. */
async function freePorts(n) {
  const servers = Array.from({ length: n }, () => createServer());
  await Promise.all(
    servers.map((s) => {
      s.listen(0, '127.0.0.1');
      return once(s, 'listening');
    }),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/**
 * Is pid still the process we started for this cluster? Pids get reused, so we check its command line
 * names our state folder before signalling it.
 */
function isOurProcess(pid, dir) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}

/**
 * Stop one of our processes. SIGKILL straight away: the state is thrown away next, and a graceful
 * shutdown costs 3 s for kube-apiserver and 2 s for etcd, which every test file would pay. We still wait
 * for the process to be gone so that the folder is not removed under a running etcd.
 */
async function stopPid(pid, dir) {
  if (!isOurProcess(pid, dir)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let waited = 0; waited < 5000; waited += 20) {
    if (!isOurProcess(pid, dir) || isZombie(pid)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new ClusterError(`process ${pid} in ${dir} did not stop after SIGKILL`);
}

/** A child of ours that exited but was not yet reaped is as good as gone. */
function isZombie(pid) {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

/** Kill a cluster's processes synchronously: for process 'exit' handlers, where nothing async runs. */
export function killNow(name) {
  const dir = stateDirFor(name);
  const state = readState(dir);
  for (const pid of Object.values(state?.pids ?? {})) {
    if (isOurProcess(pid, dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// State and kubeconfig

function readState(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

async function saveState(state) {
  await writeFile(join(state.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** The cluster name in a kubeconfig's shipshape mark, or null if it has none (or does not exist). */
function kubeconfigMark(path) {
  let config;
  try {
    config = parseYaml(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  for (const entry of config?.clusters ?? []) {
    for (const ext of entry?.cluster?.extensions ?? []) {
      if (ext?.name === KUBECONFIG_EXTENSION && typeof ext.extension?.cluster === 'string')
        return ext.extension.cluster;
    }
  }
  return null;
}

function assertKubeconfigIsOurs(path, verb) {
  if (existsSync(path) && kubeconfigMark(path) === null) {
    throw new ClusterError(`refusing to ${verb} ${path}: it is not a kubeconfig written by shipshape`);
  }
}

/**
 * The admin kubeconfig, with the credentials embedded so that it stands alone. The extension on the
 * cluster entry is our mark: kubectl keeps extensions when it rewrites a kubeconfig, unlike comments.
 */
async function writeKubeconfig(path, state, pki) {
  const b64 = async (f) => (await readFile(f)).toString('base64');
  const [ca, cert, key] = await Promise.all([b64(pki.caCert), b64(pki.adminCert), b64(pki.adminKey)]);
  const context = `shipshape-${state.name}`;
  const text = `# Admin kubeconfig for the local shipshape control plane "${state.name}" (${state.dir}).
# Written by scripts/cluster.mjs; removed by \`npm run cluster -- down --name ${state.name}\`.
apiVersion: v1
kind: Config
clusters:
  - name: ${context}
    cluster:
      server: ${state.server}
      certificate-authority-data: ${ca}
      extensions:
        - name: ${KUBECONFIG_EXTENSION}
          extension:
            cluster: ${state.name}
            state: ${state.dir}
users:
  - name: shipshape-admin
    user:
      client-certificate-data: ${cert}
      client-key-data: ${key}
contexts:
  - name: ${context}
    context:
      cluster: ${context}
      user: shipshape-admin
      namespace: default
current-context: ${context}
`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { mode: 0o600 });
}

// ---------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { command, name: 'dev', all: false, kubeconfig: undefined };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--all') opts.all = true;
    else if (a === '--name' || a === '--kubeconfig') opts[a.slice(2)] = rest[++i];
    else if (a.startsWith('--name=') || a.startsWith('--kubeconfig=')) {
      const [k, v] = a.slice(2).split('=', 2);
      opts[k] = v;
    } else throw new ClusterError(`unknown argument ${a}`);
  }
  if (!['up', 'down', 'status'].includes(command)) {
    throw new ClusterError(
      'usage: npm run cluster -- up|down|status [--name NAME] [--kubeconfig PATH] [--all]',
    );
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.command === 'up') {
    const c = await up({ name: opts.name, kubeconfig: opts.kubeconfig, detached: true });
    console.error(
      `cluster: ${opts.name} ready at ${c.server} in ${(c.readyAfterMs / 1000).toFixed(1)} s (state: ${c.dir})`,
    );
    console.log(`KUBECONFIG=${c.kubeconfig}`);
    console.log(`PATH=${c.pathDir}`);
  } else if (opts.command === 'down') {
    const names = opts.all ? await listStates() : [opts.name];
    for (const name of names) {
      console.error(`cluster: ${name} ${(await down({ name })) ? 'stopped and removed' : 'was not up'}`);
    }
  } else {
    const names = opts.all ? await listStates() : [opts.name];
    let allReady = names.length > 0;
    for (const name of names) {
      const s = await status({ name });
      allReady &&= s.ready;
      const what = s.ready ? `ready at ${s.server}` : s.up ? 'running but not ready' : 'down';
      console.log(`${name}: ${what}${s.kubeconfig && s.up ? ` KUBECONFIG=${s.kubeconfig}` : ''}`);
    }
    process.exitCode = allReady ? 0 : 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`cluster: error: ${error instanceof ClusterError ? error.message : error.stack}`);
    process.exitCode = 1;
  });
}
