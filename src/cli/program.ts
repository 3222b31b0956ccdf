import { Command } from 'commander';

/**
 * Each top-level command → the module that defines it. Only the module of the command being run is loaded (the
 * server's HTTP app, Excel, PDF and Stripe libraries cost seconds to load, and most commands need none of them);
 * `--help`, no command or an unknown one load them all so commander can list or suggest. A test checks this map
 * against what the modules register.
 */
export const COMMAND_MODULES: Record<string, () => Promise<(program: Command) => void>> = {
  serve: () => import('./serve.ts').then((m) => m.serveCommand),
  migrate: () => import('./migrate.ts').then((m) => m.migrateCommand),
  import: () => import('./import.ts').then((m) => m.importCommand),
  export: () => import('./export.ts').then((m) => m.exportCommand),
  demo: () => import('./demo.ts').then((m) => m.demoCommand),
  user: () => import('./user.ts').then((m) => m.userCommand),
  location: () => import('./location.ts').then((m) => m.locationCommand),
  forecast: () => import('./forecast.ts').then((m) => m.forecastCommand),
  replenish: () => import('./replenish.ts').then((m) => m.replenishCommand),
  markdown: () => import('./markdown.ts').then((m) => m.markdownCommand),
  report: () => import('./report.ts').then((m) => m.reportCommand),
  recommend: () => import('./recommend.ts').then((m) => m.recommendCommand),
  vision: () => import('./vision.ts').then((m) => m.visionCommand),
  placement: () => import('./placement.ts').then((m) => m.placementCommand),
  order: () => import('./order.ts').then((m) => m.orderCommand),
  worker: () => import('./worker.ts').then((m) => m.workerCommand),
  jobs: () => import('./worker.ts').then((m) => m.workerCommand),
  webhook: () => import('./integrations.ts').then((m) => m.integrationsCommand),
  source: () => import('./integrations.ts').then((m) => m.integrationsCommand),
  reconcile: () => import('./integrations.ts').then((m) => m.integrationsCommand),
  inspect: () => import('./inspect.ts').then((m) => m.inspectCommand),
};

export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('shelfwise')
    .description('Shelfwise: inventory ledger, forecasting, replenishment and more for a store or a small chain')
    .version('0.1.0')
    .showHelpAfterError();
  const name = argv[2];
  const loaders = name && COMMAND_MODULES[name] ? [COMMAND_MODULES[name]] : Object.values(COMMAND_MODULES);
  const registered = new Set<(program: Command) => void>();
  for (const load of loaders) {
    const register = await load();
    if (registered.has(register)) continue; // one module can define several commands
    registered.add(register);
    register(program);
  }
  return program;
}
