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
