/**
 * Module paths and versions as the GOPROXY protocol spells them in URLs (golang.org/x/mod
 * module.EscapePath): an upper-case letter becomes `!` and its lower-case form, so paths that
 * differ only in case stay apart on case-insensitive file systems.
 */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z!]/g, (c) => (c === '!' ? '!!' : `!${c.toLowerCase()}`));
}

/** `<proxy>/<escaped module>/@v/<suffix>`, the proxy's path prefix kept (Artifactory, Nexus). */
export function moduleProxyUrl(proxy: string, modulePath: string, suffix: string): string {
  return `${proxy.replace(/\/+$/, '')}/${escapeModulePath(modulePath)}/@v/${suffix}`;
}
