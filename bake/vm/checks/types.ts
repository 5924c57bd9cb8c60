/** A systemd unit file read as sections of `Key=value` lines (keys may repeat). */
export type UnitFile = Record<string, { key: string; value: string }[]>;

export interface ParsedUnitFile {
  unit: UnitFile;
  problems: string[];
}

export interface UnitState {
  installed: boolean;
  /** Linked from a .wants/.requires directory (directly or through an alias), as systemctl decides. */
  enabled: boolean;
  /** Only known where systemd runs (a booted host); undefined in a container or chroot. */
  active?: boolean;
}
