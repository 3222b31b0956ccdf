#!/usr/bin/env node
import { buildProgram } from './program.ts';
import { runAction } from './run.ts';

await runAction(async () => (await buildProgram(process.argv)).parseAsync(process.argv));
