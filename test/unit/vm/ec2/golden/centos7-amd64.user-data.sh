#!/bin/bash
# Provisioning of the bake VM template centos7-amd64, rendered by bake from images/vm/.
# It runs as EC2 user data (cloud-init, as root; its output reaches the serial console) and the
# same way by hand or in a container. Running it again changes nothing, and says so.
set -Eeuo pipefail
umask 022
export LC_ALL=C

# --- what this host must become, from the recipe and the plan (change those, not this) ---
TARGET=centos7-amd64
GO_VERSION=1.27.4
GO_ARCH=amd64
GO_FILENAME=go1.27.4.linux-amd64.tar.gz
GO_SHA256=f997e6a8689c70188bbce4999d4d3b2739772153e51992acb347b45a17c452a8
GO_BINARY_SHA256=443395eb90b4e084d041d9c5769876cca4096416748d7b19361ece50e376af21
GO_URL=https://go.dev/dl/go1.27.4.linux-amd64.tar.gz
GOROOT=/usr/local/go
BUILD_USER=gobuild
BUILD_UID=10001
BUILD_GID=10001
BUILD_HOME=/home/gobuild
BUILD_DIRS=(/home/gobuild/go /home/gobuild/go/bin /home/gobuild/go/pkg /home/gobuild/go/pkg/mod /home/gobuild/.cache /home/gobuild/.cache/go-build /home/gobuild/.config /home/gobuild/.config/go /home/gobuild/.config/go/telemetry)
GO_TELEMETRY_MODE_FILE=/home/gobuild/.config/go/telemetry/mode
ROOT_TELEMETRY_MODE_FILE=/root/.config/go/telemetry/mode
GO_TELEMETRY_MODE=off
PACKAGES=(ca-certificates git tzdata chrony curl openssl policycoreutils selinux-policy-targeted)
SERVICES_ENABLE=(chronyd.service)
SERVICES_DISABLE=(postfix.service tuned.service avahi-daemon.service rpcbind.service)
CHRONY_UNIT=chronyd.service
SELINUX_MODE=enforcing
CA_BUNDLE=/etc/pki/tls/certs/ca-bundle.crt
GO_ENV_KEYS=(GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOFLAGS GO111MODULE GOTOOLCHAIN CGO_ENABLED)
GO_ENV_WANT=('https://proxy.golang.org,direct' sum.golang.org '' '' '' '-mod=readonly -trimpath' on local 0)
UNIT_SHA256=18b38c302f02e82b94bfc888be3fdbdf755d5549794b7dcff5faeb5c551660c5
DEFAULT_ENV_SHA256=ef62e9150f478dc2e0ab701de40fe61f8ed2216618d8d35ffe798ef71ada178e
EC2_ENDPOINT=''
TAG_VERDICT=bake:readiness
TAG_VERDICT_SUMMARY=bake:readiness-detail
TAG_VERDICT_SHA256=bake:readiness-sha256
RESULT_BEGIN='===== bake readiness result: begin ====='
RESULT_END='===== bake readiness result: end ====='
FAILURE_MARK='===== bake provisioning FAILED ====='

STATE_DIR=/var/lib/bake
RESULT_FILE=$STATE_DIR/readiness.json
FAILED_MARKER=$STATE_DIR/provision.failed
# A host (or a test) may hold the archive already; otherwise it is downloaded from GO_URL.
GO_ARCHIVE=${BAKE_GO_ARCHIVE:-/var/cache/bake/$GO_FILENAME}
# The instance metadata service; tests point it at a stand-in.
IMDS=${BAKE_IMDS:-http://169.254.169.254}

# --- helpers: every step compares before it writes, and counts what it changed ---
CHANGES=0
FAILED_AT=
FAIL_REASON=
VERDICT_PUBLISHED=
STAGING=
SYSTEMD_RUNNING=
[ -d /run/systemd/system ] && SYSTEMD_RUNNING=1

log() { printf 'bake-provision: %s\n' "$*"; }
changed() { CHANGES=$((CHANGES + 1)); log "changed: $*"; }
die() { FAIL_REASON=$*; log "error: $*" >&2; exit 1; }
sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# write_file PATH MODE < CONTENT: replaced only when its content, mode or owner differ. The new
# content waits outside PATH's directory, so an unchanged file leaves even its directory untouched.
write_file() {
  local path=$1 mode=$2 new tmp
  new=$(mktemp)
  cat >"$new"
  if [ -f "$path" ] && [ ! -L "$path" ] && [ "$(sha256_of "$new")" = "$(sha256_of "$path")" ] &&
    [ "$(stat -c '%a %u %g' -- "$path")" = "${mode#0} 0 0" ]; then
    rm -f "$new"
    return 0
  fi
  mkdir -p "${path%/*}"
  tmp=$(mktemp "${path%/*}/.bake.XXXXXX")
  cat "$new" >"$tmp"
  rm -f "$new"
  chown 0:0 "$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$path"
  changed "$path"
}

# ensure_dir PATH UID GID MODE
ensure_dir() {
  [ -d "$1" ] && [ "$(stat -c '%u %g %a' -- "$1")" = "$2 $3 ${4#0}" ] && return 0
  install -d -o "$2" -g "$3" -m "$4" -- "$1"
  changed "$1/"
}

# --- systemd units, enabled the way systemctl does it, also where systemd is not running ---
unit_path() {
  local d
  for d in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system; do
    [ -e "$d/$1" ] && { printf '%s\n' "$d/$1"; return 0; }
  done
  return 1
}

# install_values UNIT_FILE KEY: the values of KEY in its [Install] section, one per line.
install_values() { sed -n "/^\[Install\]/,/^\[/s/^$2=//p" "$1" | tr ' ' '\n' | sed '/^$/d'; }

# Enabled = linked from a .wants/.requires directory, directly or through an alias.
unit_enabled() {
  local link real
  for link in /etc/systemd/system/*.wants/"$1" /etc/systemd/system/*.requires/"$1"; do
    [ -e "$link" ] && return 0
  done
  link=/etc/systemd/system/$1
  if [ -L "$link" ]; then
    real=$(readlink -f "$link")
    [ "$real" != /dev/null ] && [ "${real##*/}" != "$1" ] && unit_enabled "${real##*/}" && return 0
  fi
  return 1
}

enable_unit() {
  local unit=$1 path name target
  path=$(unit_path "$unit") || die "cannot enable $unit: no such unit file"
  if ! unit_enabled "$unit"; then
    if command -v systemctl >/dev/null 2>&1; then
      systemctl enable -- "$unit" 2>&1 | sed 's/^/systemctl: /'
    else
      for name in wants:WantedBy requires:RequiredBy; do
        for target in $(install_values "$path" "${name#*:}"); do
          mkdir -p "/etc/systemd/system/$target.${name%%:*}"
          ln -sfn "$path" "/etc/systemd/system/$target.${name%%:*}/$unit"
        done
      done
      for name in $(install_values "$path" Alias); do ln -sfn "$path" "/etc/systemd/system/$name"; done
    fi
    unit_enabled "$unit" || die "enabling $unit did not take: its [Install] section names no target"
    changed "enabled $unit"
  fi
  if [ -n "$SYSTEMD_RUNNING" ] && ! systemctl is-active --quiet -- "$unit"; then
    systemctl start -- "$unit"
    changed "started $unit"
  fi
}

disable_unit() {
  local unit=$1 link
  if ! unit_path "$unit" >/dev/null; then
    log "$unit is not installed"
    return 0
  fi
  if unit_enabled "$unit"; then
    if command -v systemctl >/dev/null 2>&1; then
      systemctl disable -- "$unit" 2>&1 | sed 's/^/systemctl: /'
    else
      for link in /etc/systemd/system/*.wants/"$unit" /etc/systemd/system/*.requires/"$unit"; do
        [ -L "$link" ] && rm -f "$link"
      done
    fi
    changed "disabled $unit"
  fi
  if [ -n "$SYSTEMD_RUNNING" ] && systemctl is-active --quiet -- "$unit"; then
    systemctl stop -- "$unit"
    changed "stopped $unit"
  fi
}

# Packages install without starting their services where no init system runs (a container, a
# chroot): their postinst would fail there, and the image is not booted yet anyway.
without_service_starts() {
  local rc=0
  if [ -n "$SYSTEMD_RUNNING" ] || [ -e /usr/sbin/policy-rc.d ]; then
    "$@"
    return
  fi
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  "$@" || rc=$?
  rm -f /usr/sbin/policy-rc.d
  return "$rc"
}

on_exit() {
  local code=$?
  [ -n "$STAGING" ] && rm -rf "$STAGING"
  [ "$code" -eq 0 ] && return 0
  FAIL_REASON=${FAIL_REASON:-"exit $code at line ${FAILED_AT:-?}"}
  mkdir -p "$STATE_DIR"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$FAIL_REASON" >"$FAILED_MARKER"
  printf '%s %s\n' "$FAILURE_MARK" "$FAIL_REASON"
  [ -n "$VERDICT_PUBLISHED" ] || publish_verdict fail "provisioning failed: $FAIL_REASON" "" || true
}

# --- packages (rhel family: dnf on Rocky 9, yum on CentOS 7) ---
missing_packages() {
  local p
  for p in "$@"; do rpm -q -- "$p" >/dev/null 2>&1 || printf '%s\n' "$p"; done
}

install_packages() {
  local missing yum=yum
  mapfile -t missing < <(missing_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    log "packages already installed: $*"
    return 0
  fi
  command -v dnf >/dev/null 2>&1 && yum=dnf
  # No `--` here: yum and dnf parse it differently; bake refuses package names that start with "-".
  use_centos_vault
  without_service_starts "$yum" install -y -q --setopt=tsflags=nodocs "${missing[@]}"
  "$yum" clean all >/dev/null
  changed "installed ${missing[*]}"
}

# CentOS 7 is past its end of life: its mirror list is gone and its packages live on in the
# vault. A no-op anywhere the mirror list is not used.
use_centos_vault() {
  local repos=(/etc/yum.repos.d/CentOS-*.repo)
  grep -qs '^mirrorlist=http://mirrorlist.centos.org' "${repos[@]}" || return 0
  sed -i -e 's/^mirrorlist=/#mirrorlist=/' -e 's|^#\{0,1\}baseurl=http://mirror.centos.org|baseurl=https://vault.centos.org|' "${repos[@]}"
  changed "pointed CentOS repositories at vault.centos.org"
}

# --- Go: the verified archive, checked again here before a byte of it is unpacked ---
fetch_go_archive() {
  [ -f "$GO_ARCHIVE" ] && return 0
  [ -n "$GO_URL" ] || die "no Go archive at $GO_ARCHIVE and no URL to download it from"
  mkdir -p "${GO_ARCHIVE%/*}"
  log "downloading $GO_URL"
  curl -fsSL --retry 3 -o "$GO_ARCHIVE.part" -- "$GO_URL"
  mv -f "$GO_ARCHIVE.part" "$GO_ARCHIVE"
}

install_go() {
  local actual
  if [ -x "$GOROOT/bin/go" ] && [ "$(cat "$STATE_DIR/go.sha256" 2>/dev/null)" = "$GO_SHA256" ]; then
    log "Go $GO_VERSION already installed in $GOROOT"
    return 0
  fi
  fetch_go_archive
  actual=$(sha256_of "$GO_ARCHIVE")
  [ "$actual" = "$GO_SHA256" ] || die "$GO_ARCHIVE has sha256 $actual, the verified $GO_FILENAME has $GO_SHA256"
  STAGING=$(mktemp -d "${GOROOT%/*}/.bake-go.XXXXXX")
  tar -xzf "$GO_ARCHIVE" -C "$STAGING" --no-same-owner
  [ -x "$STAGING/go/bin/go" ] || die "$GO_FILENAME holds no go/bin/go"
  chown -R 0:0 "$STAGING/go"
  chmod -R go-w "$STAGING/go"
  rm -rf "$GOROOT"
  mv "$STAGING/go" "$GOROOT"
  rm -rf "$STAGING"
  STAGING=
  printf '%s\n' "$GO_SHA256" >"$STATE_DIR/go.sha256"
  changed "installed Go $GO_VERSION ($GO_FILENAME) in $GOROOT"
}

# --- the build user, with fixed ids, and the directories it writes ---
ensure_build_user() {
  local d
  # `--` before every operand that carries a recipe value: it is never read as an option.
  if ! getent group -- "$BUILD_USER" >/dev/null; then
    groupadd --gid "$BUILD_GID" -- "$BUILD_USER"
    changed "group $BUILD_USER ($BUILD_GID)"
  fi
  [ "$(getent group -- "$BUILD_USER" | cut -d: -f3)" = "$BUILD_GID" ] || die "group $BUILD_USER exists with another gid than $BUILD_GID"
  if ! getent passwd -- "$BUILD_USER" >/dev/null; then
    useradd --uid "$BUILD_UID" --gid "$BUILD_GID" --no-log-init --create-home --home-dir "$BUILD_HOME" --shell /bin/bash -- "$BUILD_USER"
    changed "user $BUILD_USER ($BUILD_UID)"
  fi
  [ "$(id -u -- "$BUILD_USER")" = "$BUILD_UID" ] || die "user $BUILD_USER exists with another uid than $BUILD_UID"
  for d in "${BUILD_DIRS[@]}"; do ensure_dir "$d" "$BUILD_UID" "$BUILD_GID" 0755; done
  # Go 1.23+ counts usage under HOME by default; a golden host collects nothing.
  printf '%s' "$GO_TELEMETRY_MODE" | write_file "$GO_TELEMETRY_MODE_FILE" 0644
  printf '%s' "$GO_TELEMETRY_MODE" | write_file "$ROOT_TELEMETRY_MODE_FILE" 0644
}

# --- SELinux: the mode the recipe names (enforcing on the rhel family) ---
configure_selinux() {
  local current
  [ "$SELINUX_MODE" = none ] && return 0
  [ -f /etc/selinux/config ] || die "the recipe asks for SELinux $SELINUX_MODE but /etc/selinux/config is missing"
  if ! grep -qx "SELINUX=$SELINUX_MODE" /etc/selinux/config; then
    sed -i "s/^SELINUX=.*/SELINUX=$SELINUX_MODE/" /etc/selinux/config
    changed "SELINUX=$SELINUX_MODE in /etc/selinux/config"
  fi
  command -v getenforce >/dev/null 2>&1 || return 0
  current=$(getenforce)
  if [ "$current" = Disabled ] && [ "$SELINUX_MODE" != disabled ] && [ ! -e /.autorelabel ]; then
    # Files written while SELinux was off carry no labels: relabel at the next boot (of the AMI).
    touch /.autorelabel
    changed "relabel scheduled for the next boot"
  elif [ "$current" = Permissive ] && [ "$SELINUX_MODE" = enforcing ]; then
    setenforce 1
    changed "SELinux enforcing now"
  fi
  if [ "$current" != Disabled ] && command -v restorecon >/dev/null 2>&1; then
    current=$(restorecon -RFv -- "$GOROOT" /etc/default/go-env /etc/profile.d/go-env.sh /etc/systemd/system/go-env.service "$BUILD_HOME")
    [ -z "$current" ] || changed "relabeled $(printf '%s\n' "$current" | wc -l) paths"
  fi
}

# --- the host's own readiness checks (the pipeline cannot reach a builder with no inbound access) ---
RESULTS=()
PASSED=0
FAILED=0

json() {
  local s
  s=$(printf '%s' "$1" | tr '\n\t\r' '   ' | tr -d '\000-\037')
  s=${s//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

result() {
  RESULTS+=("{\"id\":$(json "$1"),\"status\":$(json "$2"),\"reason\":$(json "$3")}")
  if [ "$2" = pass ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
  log "check $1: $2: $3"
}

# verdict ID PROBLEMS PASS_REASON: fail with the problems when there are any.
verdict() {
  if [ -n "$2" ]; then result "$1" fail "$2"; else result "$1" pass "$3"; fi
}

# go_env_mismatch WHERE < `go env KEYS` output: the first value that differs from the plan's.
go_env_mismatch() {
  local i=0 line
  while IFS= read -r line || [ "$i" -lt "${#GO_ENV_KEYS[@]}" ]; do
    [ "$i" -ge "${#GO_ENV_KEYS[@]}" ] && break
    if [ "$line" != "${GO_ENV_WANT[$i]}" ]; then
      printf '%s is "%s" in %s, expected "%s"' "${GO_ENV_KEYS[$i]}" "$line" "$1" "${GO_ENV_WANT[$i]}"
      return 0
    fi
    i=$((i + 1))
  done
}

# telemetry_problem USER HOME: Go keeps its telemetry mode per user; a golden host collects nothing.
telemetry_problem() {
  local mode
  mode=$(runuser -u "$1" -- env -i HOME="$2" PATH="$GOROOT/bin:/usr/bin:/bin" go env GOTELEMETRY 2>&1) || true
  [ "$mode" = off ] || printf 'go env GOTELEMETRY is "%s" for %s, expected "off"' "$mode" "$1"
}

check_go() {
  local want="go version go$GO_VERSION linux/$GO_ARCH" got found problem
  got=$("$GOROOT/bin/go" version 2>&1) || true
  verdict go.version "$([ "$got" = "$want" ] || printf 'got "%s", expected "%s"' "$got" "$want")" "$got"

  found=$(runuser -l -c 'command -v go' -- "$BUILD_USER" 2>&1) || true
  problem=$([ "$found" = "$GOROOT/bin/go" ] || printf 'a login shell of %s finds go at "%s"' "$BUILD_USER" "$found")
  [ -n "$problem" ] || problem=$(runuser -l -c "go env ${GO_ENV_KEYS[*]}" -- "$BUILD_USER" 2>&1 | go_env_mismatch "the login shell") || true
  verdict go.login-shell "$problem" "a login shell of $BUILD_USER finds $found with the policy values"

  problem=$(env -i HOME="$BUILD_HOME" PATH="$GOROOT/bin:/usr/bin:/bin" go env "${GO_ENV_KEYS[@]}" 2>&1 | go_env_mismatch "$GOROOT/go.env") || true
  [ -n "$problem" ] || problem=$(telemetry_problem root /root)
  [ -n "$problem" ] || problem=$(telemetry_problem "$BUILD_USER" "$BUILD_HOME")
  verdict go.env "$problem" "$GOROOT/go.env alone gives the ${#GO_ENV_KEYS[@]} policy values; telemetry off for root and $BUILD_USER"

  problem=$(find "$GOROOT" \( ! -uid 0 -o \( ! -type l \( -perm -g+w -o -perm -o+w \) \) \) -print -quit 2>&1) || true
  problem=${problem:+"$problem is not root-owned or is writable by others"}
  got=$(sha256_of "$GOROOT/bin/go" 2>/dev/null) || true
  [ -n "$problem" ] || [ "$got" = "$GO_BINARY_SHA256" ] || problem="$GOROOT/bin/go has sha256 $got, the verified distribution has $GO_BINARY_SHA256"
  verdict goroot.integrity "$problem" "$GOROOT root-owned, not writable by others, go binary as verified"

  verdict tls.ca-bundle "$(grep -qs 'BEGIN CERTIFICATE' "$CA_BUNDLE" || printf '%s holds no certificate' "$CA_BUNDLE")" "certificates in $CA_BUNDLE"
}

check_units() {
  local unit problem=
  [ "$(sha256_of /etc/systemd/system/go-env.service 2>/dev/null)" = "$UNIT_SHA256" ] || problem="/etc/systemd/system/go-env.service is not the unit bake rendered"
  if [ -z "$problem" ] && [ -n "$SYSTEMD_RUNNING" ] && command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify /etc/systemd/system/go-env.service >/dev/null 2>&1 || problem="systemd-analyze verify rejects go-env.service"
  fi
  verdict vm.unit-file "$problem" "go-env.service as rendered"

  problem=$(unit_enabled go-env.service || echo "go-env.service is not enabled")
  [ -n "$problem" ] || [ -z "$SYSTEMD_RUNNING" ] || systemctl is-active --quiet -- go-env.service || problem="go-env.service is not active"
  verdict vm.go-env-service "$problem" "go-env.service enabled${SYSTEMD_RUNNING:+ and active}"

  problem=$(command -v chronyd >/dev/null || echo "chronyd is not installed")
  [ -n "$problem" ] || unit_enabled "$CHRONY_UNIT" || problem="$CHRONY_UNIT is not enabled"
  verdict vm.chrony "$problem" "$CHRONY_UNIT enabled"

  problem=
  for unit in ${SERVICES_ENABLE[@]+"${SERVICES_ENABLE[@]}"}; do unit_enabled "$unit" || problem+="$unit is not enabled; "; done
  for unit in ${SERVICES_DISABLE[@]+"${SERVICES_DISABLE[@]}"}; do ! unit_enabled "$unit" || problem+="$unit is enabled; "; done
  verdict vm.services "${problem%; }" "${#SERVICES_ENABLE[@]} enabled, ${#SERVICES_DISABLE[@]} not enabled as the recipe says"
}

check_selinux() {
  local config current problem=
  if [ "$SELINUX_MODE" = none ]; then
    result vm.selinux pass "the recipe leaves SELinux as the distribution ships it"
    return 0
  fi
  config=$(sed -n 's/^SELINUX=//p' /etc/selinux/config 2>/dev/null) || true
  [ "$config" = "$SELINUX_MODE" ] || problem="/etc/selinux/config says SELINUX=$config, the recipe $SELINUX_MODE"
  current=$(getenforce 2>/dev/null || echo unknown)
  if [ -z "$problem" ] && [ "${current,,}" != "$SELINUX_MODE" ] && ! { [ "$current" = Disabled ] && [ -e /.autorelabel ]; }; then
    problem="SELinux is $current now, the recipe says $SELINUX_MODE"
  fi
  verdict vm.selinux "$problem" "SELINUX=$SELINUX_MODE (now: $current)"
}

check_default_env() {
  local problem=
  [ "$(sha256_of /etc/default/go-env 2>/dev/null)" = "$DEFAULT_ENV_SHA256" ] || problem="/etc/default/go-env is not the file bake rendered"
  # shellcheck source=/dev/null
  [ -n "$problem" ] || problem=$(set -a && . /etc/default/go-env && "$GOROOT/bin/go" env "${GO_ENV_KEYS[@]}" 2>&1 | go_env_mismatch /etc/default/go-env) || true
  verdict vm.default-go-env "$problem" "services with /etc/default/go-env get the policy values"
}

run_checks() {
  local line sha passed=false
  check_go
  check_units
  check_selinux
  check_default_env
  [ "$FAILED" -eq 0 ] && passed=true
  line="{\"schema\":\"bake.host-readiness/v1\",\"target\":$(json "$TARGET"),\"passed\":$passed,\"summary\":\"$PASSED/$((PASSED + FAILED)) passed\",\"finishedAt\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"results\":[$(IFS=,; printf '%s' "${RESULTS[*]}")]}"
  printf '%s\n' "$line" >"$RESULT_FILE.part"
  mv -f "$RESULT_FILE.part" "$RESULT_FILE"
  sha=$(sha256_of "$RESULT_FILE")
  printf '%s\n%s\n%s sha256=%s\n' "$RESULT_BEGIN" "$line" "$RESULT_END" "$sha"
  publish_verdict "$([ "$passed" = true ] && echo pass || echo fail)" "$PASSED/$((PASSED + FAILED)) passed" "$sha"
}

# --- the verdict, published as tags on this instance through the EC2 API with the instance role ---
# The AWS CLI is not on every AMI, so the request is signed here (SigV4) with curl and openssl.
# Credentials stay in variables: never printed, never written to a file (the signing key passes
# through openssl's arguments for a moment, on a builder nobody logs into).
IMDS_TOKEN=

metadata() { curl -fsS -m 5 -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" "$IMDS/latest/meta-data/$1"; }
json_field() { sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" | head -n 1; }
hex_sha256() { openssl dgst -sha256 | sed 's/^.*= //'; }
hmac() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "$1" | sed 's/^.*= //'; }

urlencode() {
  local s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in [A-Za-z0-9._~-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}

# ec2_query REGION BODY KEY SECRET SESSION_TOKEN: one signed EC2 Query API call.
ec2_query() {
  local region=$1 body=$2 endpoint host now day scope headers signed request to_sign key
  endpoint=${EC2_ENDPOINT:-https://ec2.$region.amazonaws.com}
  host=${endpoint#*://}
  host=${host%%/*}
  now=$(date -u +%Y%m%dT%H%M%SZ)
  day=${now%%T*}
  scope=$day/$region/ec2/aws4_request
  headers="content-type:application/x-www-form-urlencoded; charset=utf-8"$'\n'"host:$host"$'\n'"x-amz-date:$now"$'\n'"x-amz-security-token:$5"
  signed="content-type;host;x-amz-date;x-amz-security-token"
  request="POST"$'\n/\n\n'"$headers"$'\n\n'"$signed"$'\n'"$(printf '%s' "$body" | hex_sha256)"
  to_sign="AWS4-HMAC-SHA256"$'\n'"$now"$'\n'"$scope"$'\n'"$(printf '%s' "$request" | hex_sha256)"
  key=$(hmac "key:AWS4$4" "$day")
  key=$(hmac "hexkey:$key" "$region")
  key=$(hmac "hexkey:$key" ec2)
  key=$(hmac "hexkey:$key" aws4_request)
  curl -fsS -m 20 --retry 3 -o /dev/null -X POST "${endpoint%/}/" \
    -H "Content-Type: application/x-www-form-urlencoded; charset=utf-8" -H "X-Amz-Date: $now" -H "X-Amz-Security-Token: $5" \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=$3/$scope, SignedHeaders=$signed, Signature=$(hmac "hexkey:$key" "$to_sign")" \
    --data "$body"
}

# publish_verdict pass|fail SUMMARY RESULT_SHA256
publish_verdict() {
  local instance region role creds body
  if ! IMDS_TOKEN=$(curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$IMDS/latest/api/token" 2>/dev/null); then
    log "no instance metadata service here: the verdict ($1) is in $RESULT_FILE only"
    return 0
  fi
  instance=$(metadata instance-id)
  region=$(metadata placement/region)
  if ! role=$(metadata iam/security-credentials/ | head -n 1) || [ -z "$role" ]; then
    log "no instance role: the verdict ($1) is on the console and in $RESULT_FILE only"
    return 0
  fi
  creds=$(metadata "iam/security-credentials/$role")
  body="Action=CreateTags&Version=2016-11-15&ResourceId.1=$(urlencode "$instance")"
  body+="&Tag.1.Key=$(urlencode "$TAG_VERDICT")&Tag.1.Value=$1"
  body+="&Tag.2.Key=$(urlencode "$TAG_VERDICT_SUMMARY")&Tag.2.Value=$(urlencode "${2:0:250}")"
  body+="&Tag.3.Key=$(urlencode "$TAG_VERDICT_SHA256")&Tag.3.Value=$(urlencode "$3")"
  ec2_query "$region" "$body" "$(json_field AccessKeyId <<<"$creds")" "$(json_field SecretAccessKey <<<"$creds")" "$(json_field Token <<<"$creds")"
  VERDICT_PUBLISHED=1
  log "verdict $1 published as tags on $instance"
}

# --- the files every template of this target carries, byte for byte as bake rendered them ---
write_go_environment() {
  write_file /etc/profile.d/go-env.sh 0644 <<'BAKE_FILE_END'
# Go environment for login shells, written by bake. The image config (for processes started
# without a login shell) and /usr/local/go/go.env (read by `go env`) carry the same values;
# change them in the recipe, not here.
export GOROOT=/usr/local/go
export PATH=/usr/local/go/bin:/home/gobuild/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export GOPATH=/home/gobuild/go
export GOBIN=/home/gobuild/go/bin
export GOCACHE=/home/gobuild/.cache/go-build
export GOMODCACHE=/home/gobuild/go/pkg/mod
export GOPROXY=https://proxy.golang.org,direct
export GOSUMDB=sum.golang.org
export GOPRIVATE=''
export GONOPROXY=''
export GONOSUMDB=''
export GOFLAGS='-mod=readonly -trimpath'
export GO111MODULE=on
export GOTOOLCHAIN=local
export CGO_ENABLED=0
BAKE_FILE_END
  write_file /etc/default/go-env 0644 <<'BAKE_FILE_END'
# The Go environment of this host for services (go-env.service, and any unit with
# EnvironmentFile=-/etc/default/go-env), written by bake. /etc/profile.d/go-env.sh and
# $GOROOT/go.env carry the same values: change them in the recipe, not here.
GOROOT=/usr/local/go
PATH=/usr/local/go/bin:/home/gobuild/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
GOPATH=/home/gobuild/go
GOBIN=/home/gobuild/go/bin
GOCACHE=/home/gobuild/.cache/go-build
GOMODCACHE=/home/gobuild/go/pkg/mod
GOPROXY=https://proxy.golang.org,direct
GOSUMDB=sum.golang.org
GOPRIVATE=
GONOPROXY=
GONOSUMDB=
GOFLAGS="-mod=readonly -trimpath"
GO111MODULE=on
GOTOOLCHAIN=local
CGO_ENABLED=0
BAKE_FILE_END
  write_file /usr/local/go/go.env 0644 <<'BAKE_FILE_END'
# Defaults of the go command in this image, written by bake from the recipe's policy.
# The process environment overrides them (the image sets the same values), then the
# user's `go env -w` file; this file is what is left when both are empty.
GOPROXY=https://proxy.golang.org,direct
GOSUMDB=sum.golang.org
GOPRIVATE=
GONOPROXY=
GONOSUMDB=
GOFLAGS=-mod=readonly -trimpath
GO111MODULE=on
GOTOOLCHAIN=local
CGO_ENABLED=0
BAKE_FILE_END
}

write_units() {
  local before=$CHANGES
  write_file /etc/systemd/system/go-env.service 0644 <<'BAKE_FILE_END'
# The Go environment of this host for services, written by bake. systemd hands one unit's
# EnvironmentFile to no other unit, so a Go service adds EnvironmentFile=-/etc/default/go-env
# itself; this unit makes the environment part of the boot and fails visibly when Go does not run.
[Unit]
Description=Global Go environment (bake)
Wants=network.target
After=network.target

[Service]
Type=oneshot
RemainAfterExit=yes
EnvironmentFile=-/etc/default/go-env
ExecStart=/usr/local/go/bin/go version

[Install]
WantedBy=multi-user.target
BAKE_FILE_END
  # A running systemd reads changed unit files only when told to.
  [ -z "$SYSTEMD_RUNNING" ] || [ "$CHANGES" -eq "$before" ] || systemctl daemon-reload
}

main() {
  trap 'FAILED_AT=$LINENO' ERR
  trap on_exit EXIT
  log "provisioning $TARGET with Go $GO_VERSION"
  mkdir -p "$STATE_DIR"
  rm -f "$FAILED_MARKER"
  install_packages "${PACKAGES[@]}"
  install_go
  ensure_build_user
  write_go_environment
  write_units
  enable_unit go-env.service
  for unit in ${SERVICES_ENABLE[@]+"${SERVICES_ENABLE[@]}"}; do enable_unit "$unit"; done
  for unit in ${SERVICES_DISABLE[@]+"${SERVICES_DISABLE[@]}"}; do disable_unit "$unit"; done
  configure_selinux
  if [ "$CHANGES" -eq 0 ]; then log "no changes: this host already is $TARGET"; else log "$CHANGES changes made"; fi
  run_checks
  [ "$FAILED" -eq 0 ] || die "$FAILED of $((PASSED + FAILED)) readiness checks failed"
  log "ready: $PASSED of $PASSED readiness checks passed"
}

main "$@"
