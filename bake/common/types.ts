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
