/**
 * Credentials that ride in URLs and headers, blanked out of free text before bake prints or
 * writes it: logs, errors, reports and CI summaries are shared far more widely than the
 * secrets in them. Scheme and host stay, so a message still says where it was talking to.
 */

/**
 * Query parameter names that carry a secret by convention: OAuth and API tokens, passwords,
 * and the parts of a presigned (S3, SAS) URL that grant access. Shared with the check that
 * refuses such URLs (url-credentials.ts), so what is refused and what is blanked agree.
 */
export const CREDENTIAL_PARAM =
  /^(?:[\w.-]*(?:token|secret|passw(?:or)?d|signature|credential)|auth|key|api_?key|sig)$/i;

// `scheme://userinfo@`: the userinfo runs to the last `@` before the path, query or fragment
// (a password with a raw `@` in it is still all userinfo, as URL parsers read it). Quotes,
// angle brackets, backslashes and whitespace end it, so a match never spans a JSON or XML
// string boundary. Text without `://` (emails, `repo@sha256:` references) never matches.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>\\`]*)@/gi;

// `?name=value` and `&name=value` (also `&amp;`, as in XML reports); the value ends where the
// next parameter, the fragment or the text around the URL begins, and punctuation that ends a
// sentence or a `URL: reason` message stays outside it. Empty values stay as they are.
const QUERY_PARAM = /((?:[?&]|&amp;)([\w.-]+)=)[^&#\s"'<>\\`]*[^&#\s"'<>\\`:,.;)]/gi;

// An Authorization header, as HTTP clients and curl -v print it, or as a JSON/YAML field.
const AUTHORIZATION = /\b(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[^\s"'<>\\,;]*[^\s"'<>\\,;:.)]/gi;

export function redact(text: string): string {
  return text
    .replace(USERINFO, (match, scheme: string, userinfo: string) =>
      // SSH authenticates with keys, so `ssh://builder@host` names a user, not a secret; it is
      // what someone debugging an engine connection needs to see.
      /^ssh:\/\/$/i.test(scheme) && !userinfo.includes(':') ? match : `${scheme}***@`,
    )
    .replace(QUERY_PARAM, (match, head: string, name: string) => (CREDENTIAL_PARAM.test(name) ? `${head}***` : match))
    .replace(AUTHORIZATION, '$1***');
}
