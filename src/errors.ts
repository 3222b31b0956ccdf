/** One error type for expected failures. `kind` maps to an HTTP status (api/error-handler.ts)
 * and a CLI exit code (cli/run.ts) in one place each. */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'insufficient_stock';

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly field?: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const httpStatusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  insufficient_stock: 409,
};

export const exitCodeOf: Record<ErrorKind, number> = {
  invalid: 2,
  unauthorized: 3,
  forbidden: 3,
  not_found: 4,
  conflict: 5,
  insufficient_stock: 5,
};
