// What every `godwit <subcommand>` module exports.
export interface Command {
  /** One line for `godwit --help`. */
  summary: string
  /** Full usage text for `godwit <name> --help`. */
  usage: string
  /** Runs the command; resolves with the process exit code (long-running commands resolve on stop). */
  run(argv: string[]): Promise<number>
}
