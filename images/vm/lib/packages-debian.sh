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
