import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { cliActor, withServices } from './run.ts';

export function locationCommand(program: Command) {
  const loc = program.command('location').description('stores, warehouses and their zones');
  loc
    .command('add')
    .argument('<code>', 'short code, e.g. STORE1')
    .requiredOption('-n, --name <name>', 'display name')
    .option('-k, --kind <kind>', 'store | warehouse | quarantine', 'store')
    .option('--allow-negative', 'let available stock go below zero here')
    .description('create a location')
    .action(async (code: string, o: { name: string; kind: string; allowNegative?: boolean }) => {
      if (!['store', 'warehouse', 'quarantine'].includes(o.kind)) throw new AppError('invalid', 'kind must be store, warehouse or quarantine', 'kind');
      await withServices(async (s) => {
        const l = await s.catalog.createLocation(cliActor(), { code, name: o.name, kind: o.kind as 'store', allowNegative: o.allowNegative });
        console.log(`created ${l.kind} ${l.code}`);
      });
    });
  loc
    .command('list')
    .description('list locations')
    .action(async () => withServices(async (s) => console.table((await s.catalog.listLocations()).map((l) => ({ code: l.code, name: l.name, kind: l.kind, zones: l.zones.length })))));
}
