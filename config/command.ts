// What every `godwit <subcommand>` module exports. It lives in config/, the shared leaf, so every
// layer can define its own subcommands; bin/godwit.ts only lists them.
export interface Command {
  /** One line for `godwit --help`. */
  summary: string
  /** Full usage text for `godwit <name> --help`. */
  usage: string
  /** Runs the command; resolves with the process exit code (long-running commands resolve on stop). */
  run(argv: string[]): Promise<number>
}
