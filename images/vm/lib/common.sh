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
