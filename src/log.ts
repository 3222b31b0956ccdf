/** A small structured logger: one JSON line per event on stderr (LOG_LEVEL filters). */
const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];
let min: Level = (process.env.LOG_LEVEL as Level) ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info');

function emit(level: Level, msg: string, data?: Record<string, unknown>) {
  if (LEVELS.indexOf(level) < LEVELS.indexOf(min)) return;
  process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...data }) + '\n');
}

export const log = {
  setLevel: (l: Level) => (min = l),
  debug: (m: string, d?: Record<string, unknown>) => emit('debug', m, d),
  info: (m: string, d?: Record<string, unknown>) => emit('info', m, d),
  warn: (m: string, d?: Record<string, unknown>) => emit('warn', m, d),
  error: (m: string, d?: Record<string, unknown>) => emit('error', m, d),
};
