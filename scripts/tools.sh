#!/usr/bin/env bash
# Provision the real Kubernetes tools that shipshape's integration tests and demos use:
# helm, kustomize, kubectl, kube-apiserver and etcd, built from their own Go modules.
#
#   scripts/tools.sh            build what is missing, link it into .tools/bin, print versions
#   scripts/tools.sh --print    only print where the tools are (exit 1 if any is missing)
#
# A binary already on PATH at a suitable version is used as it is. Built binaries are cached
# outside the repository, keyed by tool and version, so only a machine's first run pays for the
# build. Nothing built here is committed: the wrapper modules are generated in a temporary folder.
set -euo pipefail

HELM_VERSION=v3.22.0
KUSTOMIZE_VERSION=v5.8.2
KUBE_VERSION=v1.36.3 # kube-apiserver and kubectl; staging modules are v0.36.3
ETCD_VERSION=v3.6.16

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${SHIPSHAPE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape/tools}
bin="$root/.tools/bin"
mode=build
case ${1:-} in
  "") ;;
  --print) mode=print ;;
  -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) printf 'tools: error: unknown argument %s (usage: scripts/tools.sh [--print])\n' "$1" >&2; exit 2 ;;
esac

log() { printf 'tools: %s\n' "$*" >&2; }
die() { printf 'tools: error: %s\n' "$*" >&2; exit 1; }

need_go() {
  # Go's own installer puts it in /usr/local/go; a non-login shell may not have that on PATH.
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
  command -v go >/dev/null 2>&1 || die "$1 is not on PATH and Go is needed to build it: install Go 1.26+ (or put $1 $2 on PATH) and run again"
}

# Print the version a binary reports, or nothing.
version_of() {
  local tool=$1 path=$2
  case $tool in
    helm) "$path" version --template '{{.Version}}' 2>/dev/null ;;
    kustomize) "$path" version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n1 ;;
    kubectl) "$path" version --client -o json 2>/dev/null | grep -oE '"gitVersion": *"[^"]+"' | head -n1 | grep -oE 'v[0-9][^"]*' ;;
    kube-apiserver) "$path" --version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+[^ ]*' | head -n1 ;;
    etcd) "$path" --version 2>/dev/null | grep -oE 'etcd Version: [0-9.]+' | grep -oE '[0-9.]+$' | sed 's/^/v/' ;;
  esac
}

# Is the version good enough to use as it is? (tool, version, path)
suitable() {
  local tool=$1 v=$2 path=$3 kube_minor=${KUBE_VERSION#v1.}
  kube_minor=${kube_minor%%.*}
  case $tool in
    helm)
      # and stamped with a real Kubernetes version: an unstamped build assumes v1.20.0, which charts
      # with `kubeVersion: ">=1.2x"` refuse
      [[ $v =~ ^v3\.(1[4-9]|[2-9][0-9])\. ]] && [[ $(helm_kube_version "$path") =~ ^v1\.(2[1-9]|[3-9][0-9])\. ]] ;;
    kustomize) [[ $v =~ ^v5\. ]] ;;
    kubectl | kube-apiserver)
      # exact Kubernetes minor (the skew policy allows one either way for kubectl; keep the demos exact)
      [[ $v =~ ^v1\.${kube_minor}\.[0-9]+$ ]] ;;
    etcd) [[ $v =~ ^v3\.(5|6)\. ]] ;;
  esac
}

# Run a noisy command quietly, but show everything it said when it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    return 1
  fi
}

# A temporary folder for a wrapper module, removed on exit whatever happens.
tmpdirs=()
new_tmp() {
  local t
  t=$(mktemp -d "${TMPDIR:-/tmp}/shipshape-tools.XXXXXX")
  tmpdirs+=("$t")
  printf '%s' "$t"
}

gobuild() { # dir out pkg ldflags
  local dir=$1 out=$2 pkg=$3 ldflags=$4
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w $ldflags" -o "$out" "$pkg")
}

# helm stamps its version through ldflags (a plain `go install` reports "v3.x+unknown"), and so does
# the Kubernetes version it assumes when no cluster is asked (`.Capabilities.KubeVersion`, checked
# against a chart's `kubeVersion:`): without the stamp it is v1.20.0. Like helm's own Makefile, it is
# the version of the client-go that helm builds with (v0.37.0 -> v1.37).
build_helm() {
  local dest=$1 tmp client_go major minor
  tmp=$(new_tmp)
  (cd "$tmp" && quiet go mod init shipshape.local/helm && quiet env GOFLAGS=-mod=mod go get "helm.sh/helm/v3@$HELM_VERSION")
  client_go=$(cd "$tmp" && GOFLAGS=-mod=mod go list -m -f '{{.Version}}' k8s.io/client-go)
  [[ $client_go =~ ^v0\.([0-9]+)\. ]] || die "helm $HELM_VERSION builds with k8s.io/client-go $client_go: cannot tell its Kubernetes version"
  major=1 minor=${BASH_REMATCH[1]}
  local stamp="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    stamp+=" -X $pkg.k8sVersionMajor=$major -X $pkg.k8sVersionMinor=$minor"
  done
  gobuild "$tmp" "$dest/helm" helm.sh/helm/v3/cmd/helm "$stamp"
}

# The Kubernetes version a helm assumes by default (what `helm template` gives charts), or nothing.
helm_kube_version() {
  local helm=$1 chart
  chart=$(new_tmp)
  mkdir -p "$chart/templates"
  printf 'apiVersion: v2\nname: probe\nversion: 0.1.0\n' >"$chart/Chart.yaml"
  printf 'v: {{ .Capabilities.KubeVersion.Version }}\n' >"$chart/templates/v.yaml"
  HELM_NO_PLUGINS=1 "$helm" template probe "$chart" 2>/dev/null | grep -oE 'v1\.[0-9]+\.[0-9]+' | head -n1
}

build_kustomize() {
  local dest=$1
  GOBIN="$dest" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
}

# kube-apiserver and kubectl come from k8s.io/kubernetes, whose go.mod points every staging module
# (k8s.io/api, k8s.io/apimachinery, ...) at ./staging. A wrapper module replaces each of them with its
# published v0.X.Y version, read from that release's own go.mod, and names the two commands as tools.
build_kube() {
  local dest=$1 tmp staging kdir
  tmp=$(new_tmp)
  staging="v0.${KUBE_VERSION#v1.}"
  kdir=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | grep '"Dir"' | cut -d'"' -f4) || true
  [ -n "$kdir" ] || die "could not download k8s.io/kubernetes@$KUBE_VERSION from the Go module proxy (GOPROXY=$(go env GOPROXY))"
  local replaced
  replaced=$(grep -cE '^\s+k8s\.io/[A-Za-z0-9._-]+ => \./staging/' "$kdir/go.mod" || true)
  [ "$replaced" -gt 0 ] || die "k8s.io/kubernetes@$KUBE_VERSION go.mod lists no staging modules: the wrapper does not fit this release"
  {
    echo "module shipshape.local/kube"
    echo
    grep -E '^(go|godebug) ' "$kdir/go.mod"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "tool ("
    printf '\tk8s.io/kubernetes/cmd/kube-apiserver\n\tk8s.io/kubernetes/cmd/kubectl\n'
    echo ")"
    echo
    echo "replace ("
    grep -E '^\s+k8s\.io/[A-Za-z0-9._-]+ => \./staging/' "$kdir/go.mod" | awk -v v="$staging" '{ printf "\t%s => %s %s\n", $1, $1, v }'
    echo ")"
  } >"$tmp/go.mod"
  log "kube: $replaced staging modules replaced by their published $staging"
  (cd "$tmp" && quiet env GOFLAGS=-mod=mod go mod tidy)
  local minor=${KUBE_VERSION#v1.}
  minor=${minor%%.*}
  local stamp=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    stamp+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  gobuild "$tmp" "$dest/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "$stamp"
  gobuild "$tmp" "$dest/kubectl" k8s.io/kubernetes/cmd/kubectl "$stamp"
}

# etcd's server module exposes etcdmain.Main; three lines of main make it a binary. etcd reads its own
# version from go.etcd.io/etcd/api/v3/version, which the module already carries.
build_etcd() {
  local dest=$1 tmp
  tmp=$(new_tmp)
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' >"$tmp/main.go"
  (cd "$tmp" && quiet go mod init shipshape.local/etcd &&
    quiet env GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" &&
    quiet env GOFLAGS=-mod=mod go mod tidy)
  gobuild "$tmp" "$dest/etcd" . ""
}

# Point a link at a target, atomically (a rename), and only when it changes: tests running at the same
# time must never find the link missing.
link() {
  local target=$1 name=$2
  [ "$(readlink "$name" 2>/dev/null)" = "$target" ] && return 0
  ln -sfn "$target" "$name.new.$$" && mv -Tf "$name.new.$$" "$name"
}

# ensure KEY VERSION BUILDER BINARY...: link a suitable binary for each name into .tools/bin,
# building KEY (which yields all of the names) when one of them is neither on PATH nor cached.
ensure() {
  local key=$1 version=$2 builder=$3
  shift 3
  local dir="$cache/$key-$version" path_without_ours b found v
  path_without_ours=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$bin" | paste -sd: -)
  local missing=()
  for b in "$@"; do
    found=$(PATH=$path_without_ours command -v "$b" 2>/dev/null || true)
    v=""
    [ -n "$found" ] && v=$(version_of "$b" "$found")
    if [ -n "$v" ] && suitable "$b" "$v" "$found"; then
      # Link the real file: a PATH entry spelled differently from $bin could otherwise yield a self-link.
      link "$(readlink -f "$found")" "$bin/$b"
    else
      missing+=("$b")
    fi
  done
  [ ${#missing[@]} -gt 0 ] || return 0

  local complete=1
  for b in "${missing[@]}"; do [ -x "$dir/$b" ] || complete=0; done
  if [ $complete = 0 ]; then
    [ "$mode" = build ] || die "${missing[*]} $version not built; run: npm run tools"
    need_go "${missing[0]}" "$version"
    log "building ${missing[*]} $version (first run on this machine; cached in $dir)"
    local start=$SECONDS
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    building="${missing[*]} $version"
    "$builder" "$dir.partial"
    building=""
    rm -rf "$dir" && mv "$dir.partial" "$dir"
    log "built ${missing[*]} $version in $((SECONDS - start)) s"
  fi
  for b in "${missing[@]}"; do link "$dir/$b" "$bin/$b"; done
}

# On any exit: remove the wrapper modules, and if a build was under way say which one failed. set -e
# stops the script at the failing go command, whose own output is just above this message.
building=""
on_exit() {
  local rc=$?
  [ ${#tmpdirs[@]} -eq 0 ] || rm -rf "${tmpdirs[@]}"
  if [ $rc -ne 0 ] && [ -n "$building" ]; then
    printf 'tools: error: building %s failed (go output above); nothing was cached, run `npm run tools` again once fixed\n' "$building" >&2
  fi
}
trap on_exit EXIT

mkdir -p "$bin" "$cache"
# The key names the recipe: helm built before the Kubernetes version was stamped is rebuilt.
ensure helm-kubestamped "$HELM_VERSION" build_helm helm
ensure kustomize "$KUSTOMIZE_VERSION" build_kustomize kustomize
ensure kube "$KUBE_VERSION" build_kube kube-apiserver kubectl
ensure etcd "$ETCD_VERSION" build_etcd etcd

for t in helm kustomize kubectl kube-apiserver etcd; do
  v=$(version_of "$t" "$bin/$t")
  [ -n "$v" ] || die "$t at $(readlink -f "$bin/$t") does not run"
  [ "$t" != helm ] || v="$v (Kubernetes $(helm_kube_version "$bin/helm"))"
  printf '%-15s %-10s %s\n' "$t" "$v" "$(readlink -f "$bin/$t")"
done
echo "PATH=$bin"
