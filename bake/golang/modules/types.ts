/** Types of the module tools' credentials and proxy (the builder stage's side of go.proxy). */

/** The kinds of credential a build may be given, as BuildKit secret ids. */
export type CredentialId = 'netrc' | 'goauth';

export interface CredentialSpec {
  id: CredentialId;
  file: string;
  /** Where it was given, for messages: `--secret netrc`, `BAKE_NETRC`. */
  source: string;
}

export interface ModuleCredentials {
  /** Absolute paths, for the build client's `--secret id=ID,src=FILE`. */
  secrets: { id: CredentialId; file: string }[];
  /** Where each was given (`--secret netrc`), for messages. */
  sources: string[];
  /** Secret values (passwords, header values) to blank out of any message that might echo them. */
  redactions: string[];
}

export interface ProxyProbeInput {
  /** The proxy (one https URL) and where it was named (`--go-proxy`, `go.proxy of recipes/x.yaml`). */
  proxy: string;
  source: string;
  /** The module paths the builder will fetch. */
  modules: string[];
  /** The site's CA certificates (PEM), trusted besides Node.js's roots, as the builder does. */
  extraCa: string[];
  /** Whether a credential was given (it is not sent: only the builder's secret mounts see it). */
  credentialGiven: boolean;
  timeoutMs?: number;
}
