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
