import { promises as fs } from 'node:fs';
import { connect } from 'node:net';
import { BakeError, ExitCode } from '../../common/errors';
import { writeFileAtomic } from '../../common/atomic-write';
import { ensureDockerd } from './docker-install';
import { DockerEngine } from '../docker-engine';
import { launchDockerd } from './dockerd-launch';
import type { LaunchedDaemon, EngineLayout } from './types';
import { clearOrphanContainerd } from './orphan-containerd';
import { chooseEndpoint, socketPathOf, STANDARD_SOCKET } from './engine-endpoint';
import { engineLayout } from './engine-layout';
import { processAlive, withFileLock } from '../../common/file-lock';
import { sleep } from '../../common/sleep';
import { hostFacts } from '../host/host-tool';
import { lastLines } from '../../common/run-command';
import type { EngineOptions } from '../types';

const START_TIMEOUT_MS = 60_000;
const POLL_MS = 200;
/** Starting may include installing docker.io; a second bake waits that long for the first. */
const LOCK_TIMEOUT_MS = 15 * 60_000;

interface EngineRecord {
  endpoint: string;
  pid: number;
  startedAt: string;
}

/**
 * An engine that answers: the endpoint given, else DOCKER_HOST, else the standard socket.
 * When nothing answers there and starting is allowed, bake starts its own dockerd (state
 * under stateDir/engine) and leaves it running for the next command.
 */
export async function connectEngine(options: EngineOptions): Promise<DockerEngine> {
  const env = options.env ?? process.env;
  const layout = engineLayout(options.stateDir);
  const { endpoint, source } = chooseEndpoint(options.endpoint, env);
  const first = DockerEngine.at(endpoint, { env, embedded: await startedByBake(layout, endpoint) });
  if (await answers(first)) return first;

  const socket = socketPathOf(endpoint);
  if (options.allowStart === false || !socket) {
    throw new BakeError(
      `no Docker engine answers at ${endpoint}${source === 'DOCKER_HOST' ? ' (DOCKER_HOST)' : ''}`,
      ExitCode.EngineUnavailable,
      socket
        ? 'start one (sudo dockerd, or systemctl start docker), or let bake start its own'
        : 'check that the remote engine runs and is reachable',
    );
  }
  // When the standard socket is held by something that does not answer, bake's engine
  // gets a socket of its own instead of taking that one over.
  const target = source === 'default' && (await socketInUse(STANDARD_SOCKET)) ? layout.privateSocket : socket;
  if (target !== socket) {
    const previous = DockerEngine.at(`unix://${target}`, { env, embedded: true });
    if (await answers(previous)) return previous;
  }
  return startEmbedded(layout, target, options);
}

async function startEmbedded(layout: EngineLayout, socketPath: string, options: EngineOptions): Promise<DockerEngine> {
  const endpoint = `unix://${socketPath}`;
  const engine = DockerEngine.at(endpoint, { env: options.env, embedded: true });
  const facts = hostFacts();
  if (!facts.isRoot) {
    throw new BakeError(
      `no Docker engine answers at ${endpoint}, and bake can start one only as root`,
      ExitCode.EngineUnavailable,
      'run: sudo systemctl start docker (or sudo dockerd &), then run bake again',
    );
  }
  return withFileLock(
    layout.lockFile,
    async () => {
      // Another bake may have started it while this one waited for the lock.
      if (await answers(engine)) return engine;
      const running = await ourDaemonPid(layout);
      if (running) {
        await waitUntilAnswers(engine, layout, undefined);
        return engine;
      }
      const dockerd = await ensureDockerd({
        allowInstall: options.allowInstall !== false,
        logger: options.logger,
        stateDir: options.stateDir,
        env: options.env,
        facts,
      });
      const orphan = await clearOrphanContainerd(layout);
      if (orphan)
        options.logger.info(
          `cleared containerd (pid ${orphan}) left behind by a Docker Engine that did not exit cleanly`,
        );
      await fs.mkdir(layout.dir, { recursive: true, mode: 0o700 });
      const logStart = (await fs.stat(layout.logFile).catch(() => undefined))?.size ?? 0;
      const daemon = await launchDockerd(dockerd, layout, socketPath);
      options.logger.info(`started a Docker Engine (pid ${daemon.pid}) on ${endpoint}; state and log in ${layout.dir}`);
      await waitUntilAnswers(engine, layout, daemon, logStart);
      const record: EngineRecord = { endpoint, pid: daemon.pid, startedAt: new Date().toISOString() };
      await writeFileAtomic(layout.recordFile, `${JSON.stringify(record)}\n`);
      return engine;
    },
    {
      timeoutMs: LOCK_TIMEOUT_MS,
      onWait: (pid) => options.logger.info(`waiting for bake process ${pid}, which is starting the Docker Engine`),
    },
  );
}

async function waitUntilAnswers(
  engine: DockerEngine,
  layout: EngineLayout,
  daemon: LaunchedDaemon | undefined,
  logStart = 0,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void daemon?.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (await answers(engine, 1000)) return;
    if (exitCode !== undefined) break;
    await sleep(POLL_MS);
  }
  const log = (await fs.readFile(layout.logFile, 'utf8').catch(() => '')).slice(logStart);
  const tail = lastLines(log, 10)
    .map((line) => `  ${line}`)
    .join('\n');
  const what =
    exitCode !== undefined ? `exited with code ${exitCode}` : `did not answer within ${START_TIMEOUT_MS / 1000} s`;
  throw new BakeError(
    `the Docker Engine bake started on ${engine.endpoint} ${what}; last lines of ${layout.logFile}:\n${tail}`,
    ExitCode.EngineUnavailable,
  );
}

async function answers(engine: DockerEngine, timeoutMs?: number): Promise<boolean> {
  return engine.ping(timeoutMs).then(
    () => true,
    () => false,
  );
}

/** Something accepts connections on the socket (answering the Docker API or not). */
export function socketInUse(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The pid of the dockerd bake started from this state directory, if it still runs: the
 * pidfile names it and its command line carries our pidfile flag, so a reused pid or a
 * daemon someone else started is never mistaken for ours.
 */
export async function ourDaemonPid(layout: EngineLayout): Promise<number | undefined> {
  const pid = Number.parseInt(await fs.readFile(layout.pidFile, 'utf8').catch(() => ''), 10);
  if (!(pid > 0) || !processAlive(pid)) return undefined;
  const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  if (!cmdline.some((arg) => /(^|\/)dockerd$/.test(arg)) || !cmdline.includes(`--pidfile=${layout.pidFile}`))
    return undefined;
  return pid;
}

async function startedByBake(layout: EngineLayout, endpoint: string): Promise<boolean> {
  const record = await fs.readFile(layout.recordFile, 'utf8').then(
    (text) => JSON.parse(text) as EngineRecord,
    () => undefined,
  );
  return !!record && record.endpoint === endpoint && (await ourDaemonPid(layout)) !== undefined;
}

/**
 * Stops the dockerd bake started from this state directory (for test teardown and
 * `bake engine stop`); a daemon bake did not start is never touched. True when one was stopped.
 */
export async function stopEmbeddedEngine(stateDir: string, timeoutMs = 45_000): Promise<boolean> {
  const layout = engineLayout(stateDir);
  const pid = await ourDaemonPid(layout);
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid) && Date.now() < deadline) await sleep(POLL_MS);
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  await fs.rm(layout.recordFile, { force: true });
  return true;
}
