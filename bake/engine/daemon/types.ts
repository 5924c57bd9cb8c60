import type { DockerEngine } from '../docker-engine';
import type { Arch } from '../../recipe/types';

/**
 * Which engine builds which architecture: one endpoint for all (or none: DOCKER_HOST, the local
 * socket, else bake's own engine), and per-architecture endpoints that replace it, so a native
 * arm64 builder takes the arm64 targets instead of emulation.
 */
export interface EngineChoice {
  all?: string;
  perArch: Partial<Record<Arch, string>>;
}

export interface EngineConnector {
  engineFor(arch: Arch): Promise<DockerEngine>;
  connected(): Promise<DockerEngine[]>;
}

/** Where a bake-started Docker Engine keeps everything: one directory bake owns. */
export interface EngineLayout {
  dir: string;
  dataRoot: string;
  execRoot: string;
  /** Written by dockerd itself (--pidfile) and removed when it exits. */
  pidFile: string;
  logFile: string;
  /** Held while one bake process starts the engine, so two never start two daemons. */
  lockFile: string;
  /** dockerd's config; bake's own so a host daemon.json (e.g. with `hosts`) cannot break the start. */
  configFile: string;
  /** Socket used when the standard one is taken by something that does not answer. */
  privateSocket: string;
  /** What bake started: endpoint and pid, so later runs know the daemon is theirs. */
  recordFile: string;
}

export interface LaunchedDaemon {
  pid: number;
  /** Resolves with the exit code if the daemon exits while this process still runs. */
  exited: Promise<number | null>;
}
