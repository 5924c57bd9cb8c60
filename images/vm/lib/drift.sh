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
