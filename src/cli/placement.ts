import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ZodError } from 'zod';
import { AppError } from '../errors.ts';
import type { AppServices } from '../services/index.ts';
import { exportLayout, importLayout } from '../services/placement-layout.ts';
import { placementServiceOf, type WhatIf } from '../services/placement.service.ts';
import { cliActor, withServices } from './run.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

/** zod errors from the service as the CLI's "invalid input" (exit 2) with the field. */
async function validated<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ZodError) {
      const i = e.issues[0];
      throw new AppError('invalid', i?.message ?? 'invalid input', i?.path.join('.'));
    }
    throw e;
  }
}

function pairs(list: string[], field: string, num: boolean): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const p of list) {
    const m = /^([^=]+)=(.*)$/.exec(p);
    if (!m) throw new AppError('invalid', `${field} takes KEY=VALUE, got "${p}"`, field);
    if (num && !Number.isFinite(Number(m[2]))) throw new AppError('invalid', `${field} ${m[1]}: "${m[2]}" is not a number`, field);
    out[m[1]] = num ? Number(m[2]) : m[2];
  }
  return out;
}

/** --location, or the one location that has zones. */
async function locationOf(s: AppServices, given?: string): Promise<string> {
  if (given) return given;
  const rows = await s.database.db.selectFrom('zones').innerJoin('locations', 'locations.id', 'zones.location_id').select('locations.code').distinct().execute();
  if (rows.length === 1) return rows[0].code;
  throw new AppError('invalid', rows.length ? `several locations have zones (${rows.map((r) => r.code).join(', ')}): pass --location` : 'no location has zones yet: import a layout first', 'location');
}

const money = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 0 });

export function placementCommand(program: Command) {
  const cmd = program.command('placement').description('store placement: zones layout, optimiser (which items go where), plans, zone lift learning (docs/placement.md)');
  const layout = cmd.command('layout').description('the zones layout of a location as JSON');
  layout
    .command('export')
    .description('print (or write) the layout: settings, zones and current assignments')
    .option('--location <code>', 'location code (default: the one with zones)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: { location?: string; out?: string }) =>
      withServices(async (s) => {
        const json = JSON.stringify(await exportLayout(s.database.db, await locationOf(s, o.location)), null, 2);
        if (o.out) writeFileSync(o.out, json + '\n');
        else console.log(json);
      }),
    );
  layout
    .command('import <file>')
    .description('replace the layout from a JSON file (zones upserted by code, assignments and settings replaced; audited)')
    .option('--location <code>', 'import into this location instead of the file\'s')
    .action(async (file: string, o: { location?: string }) => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new AppError('invalid', `${file}: ${(e as Error).message}`, 'file');
      }
      await withServices(async (s) => {
        const r = await validated(() => importLayout(s.database.db, json, cliActor(), o.location));
        console.log(`imported ${r.zones} zones, ${r.assignments} assignments (${r.assignmentsChanged} changed)`);
      });
    });

  const optimise = cmd
    .command('plan')
    .alias('optimise')
    .description('run the optimiser and print the move list (saved as a proposed plan unless --preview)')
    .option('--location <code>', 'location code (default: the one with zones)')
    .option('--pin <unit=zone>', 'what-if: pin a unit to a zone (repeatable; zone "-" unpins)', collect, [])
    .option('--lift <zone=x>', 'what-if: zone lift (repeatable)', collect, [])
    .option('--capacity <zone=n>', 'what-if: zone capacity (repeatable)', collect, [])
    .option('--weight <name=x>', 'what-if: recommend, demographic or offFloorLift weight (repeatable)', collect, [])
    .option('--month <n>', 'month 1-12 for the seasonal rules (default: now)')
    .option('--preview', 'do not save the plan')
    .option('--limit <n>', 'moves to print', '20')
    .option('--json', 'print the whole plan as JSON');
  optimise.action(async (o: { location?: string; pin: string[]; lift: string[]; capacity: string[]; weight: string[]; month?: string; preview?: boolean; limit: string; json?: boolean }) => {
    const pins = Object.fromEntries(Object.entries(pairs(o.pin, 'pin', false)).map(([k, v]) => [k, v === '-' ? null : String(v)]));
    const whatIf = {
      ...(o.pin.length ? { pins } : {}),
      ...(o.lift.length ? { lifts: pairs(o.lift, 'lift', true) } : {}),
      ...(o.capacity.length ? { capacity: pairs(o.capacity, 'capacity', true) } : {}),
      ...(o.weight.length ? { weights: pairs(o.weight, 'weight', true) } : {}),
      ...(o.month ? { month: Number(o.month) } : {}),
    } as WhatIf;
    await withServices(async (s) => {
      const loc = await locationOf(s, o.location);
      const p = await validated(() => placementServiceOf(s).optimise(loc, cliActor(), { whatIf, save: !o.preview }));
      if (o.json) return console.log(JSON.stringify(p, null, 2));
      console.log(`${p.id ? `plan ${p.id}` : 'preview'} for ${loc}: ${p.units.length} units, ${p.moves.length} moves, expected margin ${money(p.objectiveBefore)} → ${money(p.objectiveAfter)} over ${p.inputs.horizonDays} days (+${money(p.totalUplift)})`);
      console.log(`solver: ${p.method}, ${p.ms} ms, gap to the LP bound ${(p.gap * 100).toFixed(3)} %, greedy baseline ${money(p.greedy)}`);
      console.log(`demand from forecasts ${p.inputs.demand.forecast}, recent sales ${p.inputs.demand.sales}, prior ${p.inputs.demand.prior} SKUs; kiosk visitors ${p.inputs.visitors}`);
      const signed = (n: number) => `${n >= 0 ? '+' : '−'}${money(Math.abs(n))}`;
      for (const g of p.summary.slice(0, Number(o.limit) || 20)) console.log(`  move ${g.units} unit(s) from ${g.fromName} to ${g.toName}: ${signed(g.uplift)}`);
      for (const m of p.moves.slice(0, Number(o.limit) || 20)) console.log(`  ${m.label.padEnd(40).slice(0, 40)} ${(m.from ?? '-').padEnd(8)} → ${(m.to ?? '-').padEnd(8)} ${signed(m.uplift)}`);
      if (p.id) console.log(`apply with: shelfwise placement apply ${p.id}`);
    });
  });

  cmd
    .command('plans')
    .description('list the plans of a location')
    .option('--location <code>', 'location code (default: the one with zones)')
    .option('--json', 'print JSON')
    .action(async (o: { location?: string; json?: boolean }) =>
      withServices(async (s) => {
        const items = await placementServiceOf(s).plans(await locationOf(s, o.location));
        if (o.json) return console.log(JSON.stringify(items, null, 2));
        for (const p of items) console.log(`${p.id}\t${p.status}\t${money(p.objectiveBefore)} → ${money(p.objectiveAfter)}\tgap ${(p.gap * 100).toFixed(2)} %\t${new Date(p.createdAt).toISOString()}`);
      }),
    );

  cmd
    .command('apply <id>')
    .description('apply a proposed plan (assignments move, history kept; audited)')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new AppError('invalid', 'plan id must be a number', 'id');
      await withServices(async (s) => {
        const r = await placementServiceOf(s).apply(Number(id), cliActor());
        console.log(`plan ${r.id} applied: ${r.moved} unit(s) moved`);
      });
    });

  cmd
    .command('learn')
    .description('learn zone lifts from sales attributed to zones by the assignment history')
    .option('--location <code>', 'location code (default: the one with zones)')
    .option('--days <n>', 'history window in days', '365')
    .option('--json', 'print JSON')
    .action(async (o: { location?: string; days: string; json?: boolean }) =>
      withServices(async (s) => {
        const r = await placementServiceOf(s).learn(await locationOf(s, o.location), cliActor(), Number(o.days) || 365);
        if (o.json) return console.log(JSON.stringify(r, null, 2));
        console.log(`${r.spells} assignment spells, ${r.salesAttributed} of ${r.salesTotal} units sold attributed to a zone`);
        for (const e of r.estimates) console.log(`  ${e.zone.padEnd(10)} lift ${e.lift.toFixed(3)} ± ${e.sd.toFixed(3)} (configured ${e.prior}, evidence ${e.evidence} units)`);
      }),
    );
}
