/** The environment variables a command reads. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where a command writes: standard output for what it produces, standard error for the rest. */
export interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/**
 * The exit codes of every command: 0 done, 1 it ran and failed (the server could not start, a
 * rotation or check left values under an old key), 2 a bad argument or configuration.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A command: its arguments after the command name, the environment, and where to write. */
export type Command = (args: readonly string[], env: Environment, out: Output) => Promise<ExitCode>;

/** Whether the arguments ask for the command's help. */
export const wantsHelp = (args: readonly string[]) =>
  args.includes('--help') || args.includes('-h');
