import { AppError, exitCodeOf } from '../errors.ts';
import { bootstrap } from '../bootstrap.ts';
import { loadConfig } from '../config/config.ts';
import type { AppServices } from '../services/index.ts';
import type { Actor } from '../services/actor.ts';

/** The one place where CLI errors become a message on stderr and a non-zero exit code. */
export async function runAction(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`error: ${e.field ? `${e.field}: ` : ''}${e.message}`);
      process.exit(exitCodeOf[e.kind]);
    }
    console.error(`error: ${(e as Error)?.message ?? e}`);
    if (process.env.DEBUG) console.error(e);
    process.exit(1);
  }
}

/** Opens the configured database for one command and closes it afterwards. */
export async function withServices<T>(fn: (s: AppServices) => Promise<T>): Promise<T> {
  const services = await bootstrap(loadConfig());
  try {
    return await fn(services);
  } finally {
    await services.database.close();
  }
}

/** The CLI acts as the operating-system user (the machine's operator is trusted like an admin). */
export const cliActor = (): Actor => ({ id: null, label: `cli:${process.env.USER ?? 'operator'}`, role: 'system' });
