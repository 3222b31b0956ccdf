import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { AppError, httpStatusOf } from '../errors.ts';
import { log } from '../log.ts';

/** The one place where errors become HTTP answers: {error, field?, detail?}. */
export function errorHandler(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    return c.json({ error: err.message, field: err.field, detail: err.detail }, httpStatusOf[err.kind] as 400);
  }
  if (err instanceof ZodError) return c.json(zodBody(err), 400);
  if (err instanceof SyntaxError || /JSON/.test(err.message) && err instanceof HTTPException) {
    return c.json({ error: 'the request body is not valid JSON' }, 400);
  }
  if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
  const pgCode = (err as { code?: string }).code;
  if (pgCode === '22003') return c.json({ error: 'a number is out of range' }, 400);
  log.error('unhandled error', { path: c.req.path, error: err.stack ?? String(err) });
  return c.json({ error: 'internal error' }, 500);
}

export function zodBody(err: ZodError) {
  const first = err.issues[0];
  const field = first?.path.join('.') || undefined;
  return {
    error: first ? `${field ? `${field}: ` : ''}${first.message}` : 'invalid input',
    field,
    detail: err.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
  };
}
