import * as highsModule from 'highs';
import type { Highs } from 'highs';

type Loader = () => Promise<Highs>;
let loading: Promise<Highs> | undefined;
/** HiGHS (LP/MIP solver compiled to WebAssembly), loaded once per process. */
export function highsSolver(): Promise<Highs> {
  // the package's types describe a CommonJS module; under ESM the loader is the namespace's default export
  const mod = highsModule as unknown as { default: Loader | { default: Loader } };
  const load = typeof mod.default === 'function' ? mod.default : mod.default.default;
  return (loading ??= load());
}
