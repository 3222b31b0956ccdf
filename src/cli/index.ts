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
import { replenishCommand } from './replenish.ts';
import { markdownCommand } from './markdown.ts';
import { reportCommand } from './report.ts';
import { recommendCommand } from './recommend.ts';
import { visionCommand } from './vision.ts';
import { placementCommand } from './placement.ts';
import { orderCommand } from './order.ts';
import { workerCommand } from './worker.ts';
import { integrationsCommand } from './integrations.ts';
import { inspectCommand } from './inspect.ts';

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
replenishCommand(program);
markdownCommand(program);
reportCommand(program);
recommendCommand(program);
visionCommand(program);
placementCommand(program);
orderCommand(program);
workerCommand(program);
integrationsCommand(program);
inspectCommand(program);

await runAction(() => program.parseAsync(process.argv));
