import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { DockerEngine } from '../../../bake/engine/docker-engine';
import { findCommand } from '../../../bake/engine/host-tool';
import { type BackgroundProcess, startBackground, stopBackground, waitUntilReady } from './background-process';

/**
 * A second Docker engine on this machine, standing in for a remote builder: its own socket and
 * state, in a network namespace of its own (a second dockerd beside the first would fight over
 * docker0 and iptables), reaching the outside through a veth pair and NAT, as a host on the
 * network would. Needs root, iproute2, iptables and nsenter.
 */
export interface SecondEngine {
  endpoint: string;
  engine: DockerEngine;
  stop(): Promise<void>;
}

const NS = 'bake-engine2';
const HOST_IF = 'bake-e2-host';
const NS_IF = 'bake-e2-ns';
const SUBNET = '10.203.77.0/30';

function sh(cmd: string, args: string[], allowFail = false): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
}

/** Why this machine cannot run a second engine, or undefined when it can. */
export function secondEngineUnsupported(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['dockerd', 'ip', 'iptables', 'nsenter']) if (!findCommand(tool)) return `${tool} is not installed`;
  return undefined;
}

export async function startSecondEngine(dir: string): Promise<SecondEngine> {
  await fs.mkdir(dir, { recursive: true });
  removeNetwork();
  sh('ip', ['netns', 'add', NS]);
  sh('ip', ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF]);
  sh('ip', ['link', 'set', NS_IF, 'netns', NS]);
  sh('ip', ['addr', 'add', '10.203.77.1/30', 'dev', HOST_IF]);
  sh('ip', ['link', 'set', HOST_IF, 'up']);
  for (const args of [['addr', 'add', '10.203.77.2/30', 'dev', NS_IF], ['link', 'set', NS_IF, 'up'], ['link', 'set', 'lo', 'up'], ['route', 'add', 'default', 'via', '10.203.77.1']]) {
    sh('ip', ['netns', 'exec', NS, 'ip', ...args]);
  }
  sh('iptables', ['-t', 'nat', '-A', 'POSTROUTING', '-s', SUBNET, '-j', 'MASQUERADE']);
  sh('iptables', ['-I', 'FORWARD', '-s', SUBNET, '-j', 'ACCEPT']);
  sh('iptables', ['-I', 'FORWARD', '-d', SUBNET, '-j', 'ACCEPT']);
  sh('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);

  const socket = join(dir, 'docker.sock');
  // nsenter, not `ip netns exec`: the latter remounts /sys, hiding the cgroups dockerd needs.
  const proc: BackgroundProcess = startBackground(
    'nsenter',
    [`--net=/run/netns/${NS}`, findCommand('dockerd')!, `--host=unix://${socket}`, `--data-root=${join(dir, 'data')}`, `--exec-root=${join(dir, 'exec')}`, `--pidfile=${join(dir, 'dockerd.pid')}`],
    { logFile: join(dir, 'dockerd.log') },
  );
  const endpoint = `unix://${socket}`;
  const engine = DockerEngine.at(endpoint);
  const stop = async () => {
    await stopBackground(proc, 30_000);
    removeNetwork();
  };
  try {
    await waitUntilReady('second dockerd', proc, () => engine.ping().then(() => true), 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, engine, stop };
}

function removeNetwork(): void {
  sh('iptables', ['-t', 'nat', '-D', 'POSTROUTING', '-s', SUBNET, '-j', 'MASQUERADE'], true);
  sh('iptables', ['-D', 'FORWARD', '-s', SUBNET, '-j', 'ACCEPT'], true);
  sh('iptables', ['-D', 'FORWARD', '-d', SUBNET, '-j', 'ACCEPT'], true);
  sh('ip', ['link', 'del', HOST_IF], true);
  sh('ip', ['netns', 'del', NS], true);
}
