/** What a program run without a shell left behind. A non-zero code is a result, not an exception. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /**
   * Characters kept of each stream, from its end (that is where tools say what went wrong),
   * for programs that print a lot; callers that parse the output keep all of it.
   */
  keepTail?: number;
}

/** Runs one program without a shell; a parameter wherever tests answer in the program's place. */
export type CommandRunner = (command: string, args: string[], options?: RunOptions) => Promise<CommandResult>;

/** One test case of a JUnit report: passed unless it has a failure or was skipped. */
export interface JUnitCase {
  name: string;
  classname: string;
  durationMs: number;
  /** `message` is the one line CI lists; `text` the whole story. */
  failure?: { message: string; type: string; text: string };
  /** Why the case did not run. */
  skipped?: string;
  /** What the case printed, or what it produced. */
  output?: string;
}

export interface JUnitSuite {
  name: string;
  timestamp: string;
  durationMs?: number;
  properties?: Record<string, string>;
  cases: JUnitCase[];
}
