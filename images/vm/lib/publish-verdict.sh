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
