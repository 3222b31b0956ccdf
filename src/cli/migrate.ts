import type { Command } from 'commander';
import { withServices } from './run.ts';

export function migrateCommand(program: Command) {
  program
    .command('migrate')
    .description('create or update the database schema (serve does this too)')
    .action(() => withServices(async (s) => console.log(`database (${s.database.kind}) is at the latest schema`)));
}
