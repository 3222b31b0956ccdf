#!/usr/bin/env node
import { Command } from 'commander';
import { demoCommand } from './demo.ts';
import { exportCommand } from './export.ts';
import { forecastCommand } from './forecast.ts';
import { importCommand } from './import.ts';
import { locationCommand } from './location.ts';
import { migrateCommand } from './migrate.ts';
import { runAction } from './run.ts';
import { serveCommand } from './serve.ts';
import { userCommand } from './user.ts';

const program = new Command('shelfwise')
  .description('Shelfwise: inventory ledger, forecasting, replenishment and more for a store or a small chain')
  .version('0.1.0')
  .showHelpAfterError();
serveCommand(program);
migrateCommand(program);
importCommand(program);
exportCommand(program);
demoCommand(program);
userCommand(program);
locationCommand(program);
forecastCommand(program);

await runAction(() => program.parseAsync(process.argv));
