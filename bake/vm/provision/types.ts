export interface ParsedEnvironmentFile {
  values: Record<string, string>;
  /** Lines neither systemd nor sh would read as an assignment the way bake writes them. */
  problems: string[];
}

export interface ProvisionFile {
  path: string;
  mode: '0644' | '0755';
  content: string;
}

export type ShellSetting = string | readonly string[];
