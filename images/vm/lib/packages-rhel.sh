# --- packages (rhel family: dnf on Rocky 9, yum on CentOS 7) ---
missing_packages() {
  local p
  for p in "$@"; do rpm -q "$p" >/dev/null 2>&1 || printf '%s\n' "$p"; done
}

install_packages() {
  local missing yum=yum
  mapfile -t missing < <(missing_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    log "packages already installed: $*"
    return 0
  fi
  command -v dnf >/dev/null 2>&1 && yum=dnf
  without_service_starts "$yum" install -y -q --setopt=tsflags=nodocs "${missing[@]}"
  "$yum" clean all >/dev/null
  changed "installed ${missing[*]}"
}
