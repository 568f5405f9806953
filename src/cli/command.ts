/** The shape of one CLI command; each lives in its own file under commands/. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full --help text. */
  usage: string;
  /** Runs the command; returns the process exit code. Throws InputError for bad input. */
  run(argv: string[]): Promise<number>;
}
