export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad usage or configuration: the operator must change something before retrying. */
export const EXIT_USAGE = 2;

/** An error the CLI reports as one or more plain lines, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = "CliError";
  }
}
