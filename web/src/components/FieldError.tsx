import type { ApiError } from '../api.ts';

/** Maps an API error's field ('lines.0.qty', 'location', …) to a form field name, using the last path segment. */
export function fieldOf(e: ApiError | null): string | null {
  if (!e?.field) return null;
  const parts = e.field.split('.');
  return parts[parts.length - 1];
}

/** The API's message without its "field: " prefix. */
export function messageOf(e: ApiError) {
  return e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
}

/** The inline error under one form field, linked with aria-describedby={`${id}-error`}. */
export function FieldError({ id, error, name }: { id: string; error: ApiError | null; name: string }) {
  const mine = error && fieldOf(error) === name;
  return (
    <span className="field-error" id={`${id}-error`} role={mine ? 'alert' : undefined}>
      {mine ? messageOf(error) : ''}
    </span>
  );
}
