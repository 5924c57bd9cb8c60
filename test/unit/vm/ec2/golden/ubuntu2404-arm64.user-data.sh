#!/bin/bash
# Provisioning of the bake VM template ubuntu2404-arm64, rendered by bake from images/vm/.
# It runs as EC2 user data (cloud-init, as root; its output reaches the serial console) and the
# same way by hand or in a container. Running it again changes nothing, and says so.
set -Eeuo pipefail
umask 022
export LC_ALL=C

# --- what this host must become, from the recipe and the plan (change those, not this) ---
TARGET=ubuntu2404-arm64
GO_VERSION=1.27.4
GO_ARCH=arm64
GO_FILENAME=go1.27.4.linux-arm64.tar.gz
GO_SHA256=490f8a06d79a5d62cec6de260bcac3af4db815c0698c1e7cec73176e0b1f4644
GO_BINARY_SHA256=ecf321fdf96e2669d47b21fd58f97f6fef398e46c1c303dcc6182028f9178ee0
GO_URL=https://go.dev/dl/go1.27.4.linux-arm64.tar.gz
GOROOT=/usr/local/go
BUILD_USER=gobuild
BUILD_UID=10001
BUILD_GID=10001
BUILD_HOME=/home/gobuild
BUILD_DIRS=(/home/gobuild/go /home/gobuild/go/bin /home/gobuild/go/pkg /home/gobuild/go/pkg/mod /home/gobuild/.cache /home/gobuild/.cache/go-build /home/gobuild/.config /home/gobuild/.config/go /home/gobuild/.config/go/telemetry)
GO_TELEMETRY_MODE_FILE=/home/gobuild/.config/go/telemetry/mode
ROOT_TELEMETRY_MODE_FILE=/root/.config/go/telemetry/mode
GO_TELEMETRY_MODE=off
PACKAGES=(ca-certificates git tzdata chrony curl openssl)
SERVICES_ENABLE=(chrony.service)
SERVICES_DISABLE=(postfix.service tuned.service avahi-daemon.service rpcbind.service)
CHRONY_UNIT=chrony.service
SELINUX_MODE=none
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
GO_ENV_KEYS=(GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOFLAGS GO111MODULE GOTOOLCHAIN CGO_ENABLED)
GO_ENV_WANT=('https://proxy.golang.org,direct' sum.golang.org '' '' '' '-mod=readonly -trimpath' on local 0)
UNIT_SHA256=18b38c302f02e82b94bfc888be3fdbdf755d5549794b7dcff5faeb5c551660c5
DRIFT_SCRIPT=/usr/local/sbin/bake-drift
DRIFT_TIMER=bake-drift.timer
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

log() { printf '%s: %s\n' "${LOG_NAME:-bake-provision}" "$*"; }
changed() { CHANGES=$((CHANGES + 1)); log "changed: $*"; }
die() { FAIL_REASON=$*; log "error: $*" >&2; exit 1; }
sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# json TEXT: one JSON string, control characters flattened (reports and tags stay one line).
json() {
  local s
  s=$(printf '%s' "$1" | tr '\n\t\r' '   ' | tr -d '\000-\037')
  s=${s//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

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

# --- packages (debian family) ---
missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' -- "$p" 2>/dev/null | grep -q ' installed$' || printf '%s\n' "$p"
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    log "packages already installed: $*"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  without_service_starts apt-get install -y -q --no-install-recommends -- "${missing[@]}"
  apt-get clean
  changed "installed ${missing[*]}"
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

# publish_tags WHAT KEY VALUE [KEY VALUE...]: tags on this instance with its role. Returns 1 (and
# says why) when there is no metadata service or no role here, 2 when the call failed. Callers
# run it in a condition, where errexit is off, so every step checks its own result.
publish_tags() {
  local what=$1 instance region role creds body n=0
  shift
  if ! IMDS_TOKEN=$(curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$IMDS/latest/api/token" 2>/dev/null); then
    log "no instance metadata service here: $what is in $STATE_DIR only"
    return 1
  fi
  instance=$(metadata instance-id) || return 2
  region=$(metadata placement/region) || return 2
  if ! role=$(metadata iam/security-credentials/ | head -n 1) || [ -z "$role" ]; then
    log "no instance role: $what is on the console and in $STATE_DIR only"
    return 1
  fi
  creds=$(metadata "iam/security-credentials/$role") || return 2
  body="Action=CreateTags&Version=2016-11-15&ResourceId.1=$(urlencode "$instance")"
  while [ "$#" -ge 2 ]; do
    n=$((n + 1))
    body+="&Tag.$n.Key=$(urlencode "$1")&Tag.$n.Value=$(urlencode "${2:0:250}")"
    shift 2
  done
  ec2_query "$region" "$body" "$(json_field AccessKeyId <<<"$creds")" "$(json_field SecretAccessKey <<<"$creds")" "$(json_field Token <<<"$creds")" || return 2
  log "$what published as tags on $instance"
}

# publish_verdict pass|fail SUMMARY RESULT_SHA256
publish_verdict() {
  local rc=0
  publish_tags "verdict $1" "$TAG_VERDICT" "$1" "$TAG_VERDICT_SUMMARY" "$2" "$TAG_VERDICT_SHA256" "$3" || rc=$?
  [ "$rc" -ne 0 ] || VERDICT_PUBLISHED=1
  [ "$rc" -le 1 ] || die "the verdict ($1) could not be published as tags on this instance"
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
  write_file /usr/local/sbin/bake-drift 0755 <<'BAKE_FILE_END'
#!/bin/bash
# bake-drift: compares this host (ubuntu2404-arm64) with the baseline bake recorded when it baked the
# template. Run daily by bake-drift.timer, and through ssh by `bake drift --host`. Rendered by bake
# from images/vm/: change the recipe, not this file (a changed copy is drift itself).
#   bake-drift [check]   compare, write /var/lib/bake/drift.json, tag the instance where it may; exit 5 on drift
#   bake-drift record    record the baseline (the provisioning script, after the host's checks)
#   bake-drift capture   print this host's records and GOROOT's listings
#   bake-drift baseline  print the recorded baseline
set -Eeuo pipefail
umask 022
export LC_ALL=C
LOG_NAME=bake-drift

TARGET=ubuntu2404-arm64
GOROOT=/usr/local/go
BUILD_USER=gobuild
BUILD_HOME=/home/gobuild
DRIFT_FILES=(/etc/profile.d/go-env.sh /usr/local/go/go.env /etc/default/go-env /etc/systemd/system/go-env.service /etc/systemd/system/bake-drift.service /etc/systemd/system/bake-drift.timer /usr/local/sbin/bake-drift)
DRIFT_UNITS=(go-env.service chrony.service postfix.service tuned.service avahi-daemon.service rpcbind.service bake-drift.timer)
EC2_ENDPOINT=''
TAG_DRIFT=bake:drift
TAG_DRIFT_DETAIL=bake:drift-detail
BASELINE_BEGIN='===== bake baseline: begin ====='
BASELINE_END='===== bake baseline: end ====='

STATE_DIR=/var/lib/bake
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

log() { printf '%s: %s\n' "${LOG_NAME:-bake-provision}" "$*"; }
changed() { CHANGES=$((CHANGES + 1)); log "changed: $*"; }
die() { FAIL_REASON=$*; log "error: $*" >&2; exit 1; }
sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# json TEXT: one JSON string, control characters flattened (reports and tags stay one line).
json() {
  local s
  s=$(printf '%s' "$1" | tr '\n\t\r' '   ' | tr -d '\000-\037')
  s=${s//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

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

# publish_tags WHAT KEY VALUE [KEY VALUE...]: tags on this instance with its role. Returns 1 (and
# says why) when there is no metadata service or no role here, 2 when the call failed. Callers
# run it in a condition, where errexit is off, so every step checks its own result.
publish_tags() {
  local what=$1 instance region role creds body n=0
  shift
  if ! IMDS_TOKEN=$(curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$IMDS/latest/api/token" 2>/dev/null); then
    log "no instance metadata service here: $what is in $STATE_DIR only"
    return 1
  fi
  instance=$(metadata instance-id) || return 2
  region=$(metadata placement/region) || return 2
  if ! role=$(metadata iam/security-credentials/ | head -n 1) || [ -z "$role" ]; then
    log "no instance role: $what is on the console and in $STATE_DIR only"
    return 1
  fi
  creds=$(metadata "iam/security-credentials/$role") || return 2
  body="Action=CreateTags&Version=2016-11-15&ResourceId.1=$(urlencode "$instance")"
  while [ "$#" -ge 2 ]; do
    n=$((n + 1))
    body+="&Tag.$n.Key=$(urlencode "$1")&Tag.$n.Value=$(urlencode "${2:0:250}")"
    shift 2
  done
  ec2_query "$region" "$body" "$(json_field AccessKeyId <<<"$creds")" "$(json_field SecretAccessKey <<<"$creds")" "$(json_field Token <<<"$creds")" || return 2
  log "$what published as tags on $instance"
}

# publish_verdict pass|fail SUMMARY RESULT_SHA256
publish_verdict() {
  local rc=0
  publish_tags "verdict $1" "$TAG_VERDICT" "$1" "$TAG_VERDICT_SUMMARY" "$2" "$TAG_VERDICT_SHA256" "$3" || rc=$?
  [ "$rc" -ne 0 ] || VERDICT_PUBLISHED=1
  [ "$rc" -le 1 ] || die "the verdict ($1) could not be published as tags on this instance"
}

# --- drift: this host's baseline, recorded when bake baked the template, and the daily comparison ---
# The records are the ones bake keeps for images (bake/drift/types.ts), one `KEY<TAB>VALUE` line
# each; GOROOT's listings are byte for byte what bake computes from a tar (bake/drift/tree-listing.ts).
# Nothing here sources or executes a file it checks: go runs as the build user, never as root.
BASELINE_DIR=$STATE_DIR/baseline
DRIFT_FILE=$STATE_DIR/drift.json
# go env values that differ between two runs of one environment (temporary directories, the working directory).
VOLATILE_GO_ENV=' GOGCCFLAGS GOMOD GOWORK '
DRIFT_FINDINGS_MAX=50
FINDINGS=()

# go_env_records FAMILY < `go env -json`: one record per variable, values as go env -json escapes them.
go_env_records() {
  local k v
  sed -n 's/^[[:space:]]*"\([A-Za-z0-9_]*\)": "\(.*\)",\{0,1\}$/\1\t\2/p' | while IFS=$'\t' read -r k v; do
    case $VOLATILE_GO_ENV in *" $k "*) continue ;; esac
    printf '%s:%s\t%s\n' "$1" "$k" "$v"
  done
}

# service_env: /etc/default/go-env as `env` arguments (read, never sourced).
service_env() {
  [ -f /etc/default/go-env ] || return 0
  grep -E '^(GO[A-Z0-9_]*|CGO_[A-Z0-9_]+|PATH)=' /etc/default/go-env || true
}

# go_env_json [login]: `go env -json` of the build user, as a service or a login shell gets it.
go_env_json() {
  local vars=()
  if [ "${1:-}" = login ]; then
    runuser -l -c 'go env -json' -- "$BUILD_USER" 2>&1 || true
    return 0
  fi
  mapfile -t vars < <(service_env)
  runuser -u "$BUILD_USER" -- env -i HOME="$BUILD_HOME" PATH="$GOROOT/bin:/usr/bin:/bin" ${vars[@]+"${vars[@]}"} \
    "$GOROOT/bin/go" env -json 2>&1 || true
}

file_record() {
  if [ -L "$1" ]; then
    printf 'symlink=%s mode=%s\n' "$(readlink -- "$1")" "$(stat -c '%a uid=%u gid=%g' -- "$1")"
  elif [ -f "$1" ]; then
    printf 'sha256=%s mode=%s\n' "$(sha256_of "$1")" "$(stat -c '%a uid=%u gid=%g' -- "$1")"
  elif [ -e "$1" ]; then
    printf 'type=%s mode=%s\n' "$(stat -c '%F' -- "$1" | tr ' ' '-')" "$(stat -c '%a uid=%u gid=%g' -- "$1")"
  else
    echo absent
  fi
}

# tree_listing DIR OUT: OUT.meta and OUT.sums, sorted as bake sorts them.
tree_listing() {
  (
    cd -- "$1"
    { find . ! -type l -printf '%y %m %U %G %P\n'; find . -type l -printf '%y %m %U %G %P -> %l\n'; } | LC_ALL=C sort >"$2.meta"
    find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 -r sha256sum -- >"$2.sums"
  )
}

# capture DIR: this host's records (DIR/records) and GOROOT's listings (DIR/goroot.*), as they are now.
capture() {
  local dir=$1 f unit json
  mkdir -p "$dir"
  tree_listing "$GOROOT" "$dir/goroot"
  {
    printf 'user\t%s\n' "$BUILD_USER"
    service_env | sed 's/=/\t/; s/^/env:/'
    for f in go.env go.env.login; do
      json=$(go_env_json "$([ "$f" = go.env.login ] && echo login)")
      if grep -q '^{' <<<"$json"; then
        go_env_records "$f" <<<"$json"
      else
        printf '%s\tgo env -json failed: %s\n' "$f" "$(head -n 1 <<<"$json" | cut -c1-200)"
      fi
    done
    for f in "${DRIFT_FILES[@]}"; do printf 'file:%s\t%s\n' "$f" "$(file_record "$f")"; done
    printf 'tree:%s\tentries=%s meta=sha256:%s sums=sha256:%s\n' "$GOROOT" "$(wc -l <"$dir/goroot.meta")" \
      "$(sha256_of "$dir/goroot.meta")" "$(sha256_of "$dir/goroot.sums")"
    printf 'vm.selinux\tconfig=%s now=%s\n' "$(sed -n 's/^SELINUX=//p' /etc/selinux/config 2>/dev/null || true)" \
      "$(getenforce 2>/dev/null || echo absent)"
    for unit in "${DRIFT_UNITS[@]}"; do
      if unit_enabled "$unit"; then printf 'vm.service:%s\tenabled\n' "$unit"; else printf 'vm.service:%s\tdisabled\n' "$unit"; fi
    done
  } | LC_ALL=C sort >"$dir/records"
}

# print_capture DIR: records and listings as one stream, for `bake drift --host` over ssh.
print_capture() {
  local part
  for part in records goroot.meta goroot.sums; do
    printf '===== bake baseline: %s =====\n' "$part"
    cat -- "$1/$part"
  done
  printf '===== bake baseline: end =====\n'
}

# record: the baseline at bake time, kept on the host and printed on the console for the pipeline.
record() {
  local tmp sha
  tmp=$(mktemp -d "$STATE_DIR/.baseline.XXXXXX")
  capture "$tmp"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$tmp/captured-at"
  chmod 0644 "$tmp"/*
  rm -rf "$BASELINE_DIR.old"
  [ ! -d "$BASELINE_DIR" ] || mv "$BASELINE_DIR" "$BASELINE_DIR.old"
  mv "$tmp" "$BASELINE_DIR"
  chmod 0755 "$BASELINE_DIR"
  rm -rf "$BASELINE_DIR.old"
  sha=$(sha256_of "$BASELINE_DIR/records")
  printf '%s captured-at=%s\n' "$BASELINE_BEGIN" "$(cat "$BASELINE_DIR/captured-at")"
  cat "$BASELINE_DIR/records"
  printf '%s sha256=%s\n' "$BASELINE_END" "$sha"
  log "baseline recorded in $BASELINE_DIR ($(wc -l <"$BASELINE_DIR/records") records)"
}

# finding SEVERITY KEY SUBJECT EXPECTED ACTUAL
finding() {
  FINDINGS+=("{\"key\":$(json "$2"),\"severity\":\"$1\",\"subject\":$(json "$3"),\"expected\":$(json "$4"),\"actual\":$(json "$5"),\"evidence\":$(json "$6")}")
  log "drift: $1: $3: expected \"$4\", found \"$5\""
}

field() { local v=" $1 "; v=${v##* $2=}; printf '%s' "${v%% *}"; }

# looser OLD NEW: the new mode or owner gives more away (write for group or others, setuid/setgid, not root's).
looser() {
  local old new
  old=$(field "$1" mode) new=$(field "$2" mode)
  [ -n "$old" ] && [ -n "$new" ] || return 1
  (((8#$new & ~8#$old) & 8#6022)) && return 0
  [ "$(field "$1" uid)" = 0 ] && [ "$(field "$2" uid)" != 0 ]
}

# meta_value "t m u g path": the same entry as a record value (mode=.. uid=.. gid=..).
meta_value() { local t m u g p; read -r t m u g p <<<"$1"; printf 'type=%s mode=%s uid=%s gid=%s' "$t" "$m" "$u" "$g"; }

# tree_findings BASE CUR EVIDENCE: GOROOT path by path, from the lines the two listings do not share.
tree_findings() {
  local base=$1 cur=$2 line p n=0 t m u g
  declare -A old=() new=() olds=() news=()
  # GOROOT itself is the listing's empty path: "." here.
  while IFS= read -r line; do read -r t m u g p <<<"$line"; old[${p:-.}]=$line; done < <(comm -23 "$base.meta" "$cur.meta")
  while IFS= read -r line; do read -r t m u g p <<<"$line"; new[${p:-.}]=$line; done < <(comm -13 "$base.meta" "$cur.meta")
  # sums are in path order; comm wants whole lines in order.
  while IFS= read -r line; do olds[${line#*  }]=${line%%  *}; done < <(comm -23 <(sort "$base.sums") <(sort "$cur.sums"))
  while IFS= read -r line; do news[${line#*  }]=${line%%  *}; done < <(comm -13 <(sort "$base.sums") <(sort "$cur.sums"))
  while IFS= read -r p; do
    # go.env has a record of its own.
    [ "$p" != go.env ] || continue
    n=$((n + 1))
    if [ "$n" -gt "$DRIFT_FINDINGS_MAX" ]; then
      finding integrity-changed "tree:$GOROOT" "$GOROOT: more differences" "the baseline listing" "more paths differ (not listed)" "$3"
      break
    fi
    # A path whose listing line only the live side has is new; only the baseline's, gone.
    if [ -z "${old[$p]+x}" ] && [ -n "${new[$p]+x}" ]; then
      finding extra-file "tree:$GOROOT" "$GOROOT/$p" absent "$(meta_value "${new[$p]}")" "$3"
    elif [ -n "${old[$p]+x}" ] && [ -z "${new[$p]+x}" ]; then
      finding integrity-changed "tree:$GOROOT" "$GOROOT/$p" "$(meta_value "${old[$p]}")" absent "$3"
    elif [ -n "${olds[$p]+x}" ] || [ -n "${news[$p]+x}" ]; then
      finding integrity-changed "tree:$GOROOT" "$GOROOT/$p" "sha256 ${olds[$p]-?}" "sha256 ${news[$p]-?}" "$3"
    elif looser "$(meta_value "${old[$p]}")" "$(meta_value "${new[$p]}")"; then
      finding permission-loosened "tree:$GOROOT" "$GOROOT/$p" "$(meta_value "${old[$p]}")" "$(meta_value "${new[$p]}")" "$3"
    else
      finding integrity-changed "tree:$GOROOT" "$GOROOT/$p" "$(meta_value "${old[$p]}")" "$(meta_value "${new[$p]}")" "$3"
    fi
  done < <(printf '%s\n' "${!old[@]}" "${!new[@]}" "${!olds[@]}" "${!news[@]}" | sed '/^$/d' | LC_ALL=C sort -u)
}

# check: compare with the baseline, write drift.json, tag the instance where it may; exit 5 on drift.
check() {
  local tmp k sev started=$SECONDS drifted=false line now evidence
  [ -s "$BASELINE_DIR/records" ] || die "no baseline in $BASELINE_DIR: this host was not provisioned by bake (or its baseline is gone)"
  tmp=$(mktemp -d)
  STAGING=$tmp
  capture "$tmp"
  declare -A want=() got=()
  while IFS=$'\t' read -r k line; do want[$k]=$line; done <"$BASELINE_DIR/records"
  while IFS=$'\t' read -r k line; do got[$k]=$line; done <"$tmp/records"
  evidence="bake-drift on $(hostname) as root: go env as $BUILD_USER, files with stat and sha256sum"
  while IFS= read -r k; do
    [ "${want[$k]-(unset)}" != "${got[$k]-(unset)}" ] || continue
    case $k in
      tree:*) tree_findings "$BASELINE_DIR/goroot" "$tmp/goroot" "$evidence" ;;
      file:*)
        sev=integrity-changed
        [ "$(field "${want[$k]-}" sha256)" != "$(field "${got[$k]-}" sha256)" ] || ! looser "${want[$k]-}" "${got[$k]-}" || sev=permission-loosened
        finding "$sev" "$k" "${k#file:}" "${want[$k]-absent}" "${got[$k]-absent}" "$evidence" ;;
      *) finding policy-changed "$k" "$k" "${want[$k]-(unset)}" "${got[$k]-(unset)}" "$evidence" ;;
    esac
  done < <(printf '%s\n' "${!want[@]}" "${!got[@]}" | LC_ALL=C sort -u)
  [ "${#FINDINGS[@]}" -eq 0 ] || drifted=true
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  line="{\"schema\":\"bake.drift/v1\",\"subject\":{\"kind\":\"host\",\"ref\":$(json "$(hostname)")},\"target\":$(json "$TARGET"),"
  line+="\"baseline\":{\"kind\":\"vm\",\"capturedAt\":$(json "$(cat "$BASELINE_DIR/captured-at" 2>/dev/null)"),\"source\":$(json "$BASELINE_DIR"),\"artifact\":\"this host\"},"
  line+="\"drifted\":$drifted,\"findings\":[$(IFS=,; printf '%s' "${FINDINGS[*]}")],\"checkedAt\":\"$now\",\"durationMs\":$(((SECONDS - started) * 1000))}"
  printf '%s\n' "$line" >"$DRIFT_FILE.part"
  chmod 0644 "$DRIFT_FILE.part"
  mv -f "$DRIFT_FILE.part" "$DRIFT_FILE"
  rm -rf "$tmp"
  STAGING=
  log "$([ "$drifted" = true ] && echo "DRIFT: ${#FINDINGS[@]} findings" || echo "no drift"); written to $DRIFT_FILE"
  publish_tags "drift verdict" "$TAG_DRIFT" "$([ "$drifted" = true ] && echo drift || echo clean)" \
    "$TAG_DRIFT_DETAIL" "${#FINDINGS[@]} findings at $now" || true
  [ "$drifted" = false ] || exit 5
}

drift_main() {
  trap '[ -z "$STAGING" ] || rm -rf "$STAGING"' EXIT
  case "${1:-check}" in
    check) check ;;
    record) record ;;
    capture)
      STAGING=$(mktemp -d)
      capture "$STAGING"
      print_capture "$STAGING" ;;
    baseline)
      [ -s "$BASELINE_DIR/records" ] || die "no baseline in $BASELINE_DIR"
      print_capture "$BASELINE_DIR" ;;
    *) die "usage: bake-drift [check|record|capture|baseline]" ;;
  esac
}

drift_main "$@"
BAKE_FILE_END
  write_file /etc/systemd/system/bake-drift.service 0644 <<'BAKE_FILE_END'
# Compares this host with the baseline bake recorded when it baked the template; written by
# bake. A drift fails the unit (exit 5), so `systemctl --failed` and monitoring see it.
[Unit]
Description=Drift check against the bake baseline
After=go-env.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/bake-drift check
BAKE_FILE_END
  write_file /etc/systemd/system/bake-drift.timer 0644 <<'BAKE_FILE_END'
# Runs bake-drift.service once a day (and after a boot that missed it); written by bake.
[Unit]
Description=Daily drift check against the bake baseline

[Timer]
OnCalendar=daily
RandomizedDelaySec=1h
Persistent=true

[Install]
WantedBy=timers.target
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
  enable_unit "$DRIFT_TIMER"
  for unit in ${SERVICES_ENABLE[@]+"${SERVICES_ENABLE[@]}"}; do enable_unit "$unit"; done
  for unit in ${SERVICES_DISABLE[@]+"${SERVICES_DISABLE[@]}"}; do disable_unit "$unit"; done
  configure_selinux
  if [ "$CHANGES" -eq 0 ]; then log "no changes: this host already is $TARGET"; else log "$CHANGES changes made"; fi
  # What the checks vet is what the daily drift check compares with: recorded just before them.
  "$DRIFT_SCRIPT" record
  run_checks
  [ "$FAILED" -eq 0 ] || die "$FAILED of $((PASSED + FAILED)) readiness checks failed"
  log "ready: $PASSED of $PASSED readiness checks passed"
}

main "$@"
