/** Failures of console requests, rendered as HTML pages by the console's own error handler. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

/** Unknown and forbidden look the same, so a page's existence does not leak. */
export function pageNotFound(): ConsoleError {
  return new ConsoleError(404, 'Not found', 'There is nothing here, or you may not see it. Check the address, or go back to the overview.');
}

export function badInput(message: string): ConsoleError {
  return new ConsoleError(400, 'Bad request', message);
}
