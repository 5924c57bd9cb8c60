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
