/**
 * A distinct canary in each place a secret can sit (issue 9's table and more): env names that
 * look secret, a URL password, a REDIS_URL built from a Helm values password, args, a shell
 * line, last-applied on a Deployment, Helm `required` and `fail` messages that quote a values
 * password, a `--set` value, a malformed kustomize secretGenerator literal, generator literals,
 * env files and files, Secret data and stringData, ConfigMap data. Shared by the CLI and the
 * Action tests, which assert that none of them leaves the process.
 */

/** Canaries for one side of the change; `v` makes base and head differ. */
export function canaries(v: string) {
  const c = (name: string) => `cnry-${name}-${v}-x7q`;
  return {
    mysqlPwd: c('mysql-pwd'),
    stripeSk: c('stripe-sk'),
    encryptionKey: c('encryption-key'),
    jwtSigningKey: c('jwt-signing-key'),
    sessionCookie: c('session-cookie'),
    tlsCertPem: c('tls-cert-pem'),
    databaseUrl: c('database-url'),
    redisValuesPw: c('redis-values-pw'),
    argEquals: c('arg-equals'),
    argSeparate: c('arg-separate'),
    shellArg: c('shell-arg'),
    lastApplied: c('last-applied'),
    helmRequired: c('helm-required'),
    helmFail: c('helm-fail'),
    helmSet: c('helm-set'),
    kustomizeMalformed: c('kustomize-malformed'),
    kustomizeLiteral: c('kustomize-literal'),
    kustomizeEnvFile: c('kustomize-env-file'),
    kustomizeFile: c('kustomize-file'),
    secretData: c('secret-data'),
    stringData: c('string-data'),
    configMapKey: c('configmap-key'),
  };
}
export type Canaries = ReturnType<typeof canaries>;

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function canaryFiles(k: Canaries): Record<string, string> {
  const inner = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      template: {
        spec: { containers: [{ name: 'app', env: [{ name: 'API_TOKEN', value: k.lastApplied }] }] },
      },
    },
  };
  return {
    // A chart that renders: a REDIS_URL built from a values password, values echoed in a ConfigMap.
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'charts/app/values.yaml': `redis:\n  password: ${k.redisValuesPw}\nauth:\n  token: ${k.helmSet}-default\n`,
    'charts/app/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 2
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec:
      containers:
        - name: app
          image: example/app:1.0
          env:
            - name: REDIS_URL
              value: "redis://:{{ .Values.redis.password }}@redis:6379/0"
            - name: REDIS_ADDR
              value: "redis:6379,password={{ .Values.redis.password }}"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-banner
data:
  banner: "auth is {{ .Values.auth.token }}"
`,
    // A chart whose `required` message quotes a values password.
    'charts/required/Chart.yaml': 'apiVersion: v2\nname: required\nversion: 1.0.0\n',
    'charts/required/values.yaml': `db:\n  password: ${k.helmRequired}\n`,
    'charts/required/templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  x: {{ required (printf "bad %s" .Values.db.password) .Values.missing }}
`,
    // A chart whose `fail` message quotes a password from a values file.
    'charts/failing/Chart.yaml': 'apiVersion: v2\nname: failing\nversion: 1.0.0\n',
    'charts/failing/values.yaml': 'db: {}\n',
    'charts/failing/values-prod.yaml': `db:\n  rootPassword: ${k.helmFail}\n`,
    'charts/failing/templates/cm.yaml':
      '{{ fail (printf "refusing password %s" .Values.db.rootPassword) }}\n',
    // A kustomization whose malformed literal kustomize echoes.
    'kustomize/bad/kustomization.yaml': `secretGenerator:\n  - name: db\n    literals:\n      - ${k.kustomizeMalformed}\n`,
    // A kustomization that builds Secrets from literals, an env file and a file.
    'kustomize/good/kustomization.yaml': `resources:\n  - cm.yaml\nsecretGenerator:
  - name: db
    literals:
      - password=${k.kustomizeLiteral}
    envs:
      - secret.env
    files:
      - tls.key
`,
    'kustomize/good/secret.env': `API_KEY=${k.kustomizeEnvFile}\n`,
    'kustomize/good/tls.key': `${k.kustomizeFile}\n`,
    'kustomize/good/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: echo
data:
  note: "literal ${k.kustomizeLiteral} env ${k.kustomizeEnvFile}"
`,
    // Plain manifests: every env name of the issue, args, last-applied, a Secret, a ConfigMap.
    'plain/app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '${JSON.stringify(inner)}'
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: app
          image: example/api:1.0
          command: ["sh", "-c", "PGPASSWORD=${k.shellArg} exec api"]
          args: ["--db-password=${k.argEquals}", "--api-token", "${k.argSeparate}"]
          env:
            - { name: MYSQL_PWD, value: ${k.mysqlPwd} }
            - { name: STRIPE_SK, value: ${k.stripeSk} }
            - { name: ENCRYPTION_KEY, value: ${k.encryptionKey} }
            - { name: JWT_SIGNING_KEY, value: ${k.jwtSigningKey} }
            - { name: SESSION_COOKIE, value: ${k.sessionCookie} }
            - name: TLS_CERT_PEM
              value: |
                -----BEGIN CERTIFICATE-----
                ${k.tlsCertPem}
                -----END CERTIFICATE-----
            - { name: DATABASE_URL, value: "postgres://user:${k.databaseUrl}@db/app" }
---
apiVersion: v1
kind: Secret
metadata: { name: db, namespace: shop }
data:
  password: ${b64(k.secretData)}
stringData:
  token: ${k.stringData}
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data:
  API_KEY: ${k.configMapKey}
`,
    '.shipshape.yaml': `targets:
  - chart: charts/app
    set: { auth.token: ${k.helmSet} }
  - chart: charts/required
  - chart: charts/failing
    values: [charts/failing/values-prod.yaml]
  - kustomize: kustomize/bad
  - kustomize: kustomize/good
  - plain: [plain]
`,
  };
}

/** Every canary of the given sides, raw and in base64 (padded or not), that appears in the text. */
export function leaksIn(text: string, ...sides: Canaries[]): string[] {
  const all = sides.flatMap((k) => Object.values(k));
  return all.filter((c) => text.includes(c) || text.includes(b64(c).replace(/=+$/, '')));
}
