import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { findCommand } from '../../../bake/engine/host/host-tool';

/**
 * A network namespace for a second dockerd on this machine: a second daemon in the host's
 * namespace would fight the first over docker0 and iptables. The namespace reaches the
 * outside (Debian's archive, for a build's apt-get) through a veth pair and NAT, as a host
 * on the network would. Needs root, iproute2, iptables and nsenter.
 */
export interface EngineNetnsSpec {
  /** The namespace's name (`ip netns`); also names the veth pair, so at most 13 characters. */
  name: string;
  /** The first three octets of a /30 of its own, e.g. `10.203.77`: .1 is the host's end, .2 the namespace's. */
  prefix: string;
}

export interface EngineNetns {
  name: string;
  /** For `nsenter --net=`: not `ip netns exec`, which remounts /sys and hides the cgroups dockerd needs. */
  path: string;
  hostInterface: string;
  subnet: string;
  /** The namespace's own address, which the host reaches through the veth pair. */
  address: string;
  remove(): void;
}

function sh(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 && !allowFail)
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(r.stderr ?? r.error?.message ?? '').trim()}`);
  return r.stdout ?? '';
}

/** Why this machine cannot run a dockerd in a namespace of its own, or undefined when it can. */
export function engineNetnsUnsupported(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['dockerd', 'ip', 'iptables', 'nsenter'])
    if (!findCommand(tool)) return `${tool} is not installed`;
  return undefined;
}

const FORWARD_SYSCTL = '/proc/sys/net/ipv4/ip_forward';

/** Creates the namespace (first clearing what a killed run may have left of one by that name). */
export function createEngineNetns(spec: EngineNetnsSpec): EngineNetns {
  const hostInterface = `${spec.name}-h`;
  const nsInterface = `${spec.name}-n`;
  const subnet = `${spec.prefix}.0/30`;
  const rules = [
    ['-t', 'nat', 'POSTROUTING', '-s', subnet, '-j', 'MASQUERADE'],
    ['-t', 'filter', 'FORWARD', '-s', subnet, '-j', 'ACCEPT'],
    ['-t', 'filter', 'FORWARD', '-d', subnet, '-j', 'ACCEPT'],
  ];
  const forwardingBefore = readFileSync(FORWARD_SYSCTL, 'utf8').trim();
  const remove = () => {
    for (const [t, table, chain, ...rule] of rules) sh('iptables', [t, table, '-D', chain, ...rule], true);
    sh('ip', ['link', 'del', hostInterface], true);
    sh('ip', ['netns', 'del', spec.name], true);
    // The host forwarded before only if it did so already (a host daemon usually turns it on).
    if (forwardingBefore === '0') writeFileSync(FORWARD_SYSCTL, '0\n');
  };
  remove();
  try {
    sh('ip', ['netns', 'add', spec.name]);
    sh('ip', ['link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', nsInterface]);
    sh('ip', ['link', 'set', nsInterface, 'netns', spec.name]);
    sh('ip', ['addr', 'add', `${spec.prefix}.1/30`, 'dev', hostInterface]);
    sh('ip', ['link', 'set', hostInterface, 'up']);
    for (const args of [
      ['addr', 'add', `${spec.prefix}.2/30`, 'dev', nsInterface],
      ['link', 'set', nsInterface, 'up'],
      ['link', 'set', 'lo', 'up'],
      ['route', 'add', 'default', 'via', `${spec.prefix}.1`],
    ]) {
      sh('ip', ['netns', 'exec', spec.name, 'ip', ...args]);
    }
    // Inserted first: a host daemon's FORWARD chain drops what is not its own.
    for (const [t, table, chain, ...rule] of rules)
      sh('iptables', [t, table, chain === 'POSTROUTING' ? '-A' : '-I', chain, ...rule]);
    writeFileSync(FORWARD_SYSCTL, '1\n');
  } catch (err) {
    remove();
    throw err;
  }
  const address = `${spec.prefix}.2`;
  return { name: spec.name, path: `/run/netns/${spec.name}`, hostInterface, subnet, address, remove };
}

/** The host's iptables rules that name the subnet: none once the namespace is removed. */
export function rulesNaming(subnet: string): string[] {
  return ['nat', 'filter'].flatMap((table) =>
    sh('iptables', ['-t', table, '-S'], true)
      .split('\n')
      .filter((line) => line.includes(subnet)),
  );
}
