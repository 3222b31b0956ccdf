import cliProgress from 'cli-progress';

/** A progress bar on stderr when it is a terminal; plain occasional lines otherwise (CI logs). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  const bar = tty ? new cliProgress.SingleBar({ format: `${label} {phase} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  let started = false;
  let phase = '';
  let lastLog = 0;
  return {
    update(p: { phase: string; done: number; total: number }) {
      if (bar) {
        if (!started || p.phase !== phase) {
          if (started) bar.stop();
          bar.start(p.total, p.done, { phase: p.phase });
          started = true;
          phase = p.phase;
        }
        bar.update(p.done, { phase: p.phase });
      } else if (Date.now() - lastLog > 2000 || p.done === p.total || p.phase !== phase) {
        lastLog = Date.now();
        phase = p.phase;
        process.stderr.write(`${label} ${p.phase}: ${p.done}/${p.total}\n`);
      }
    },
    stop() {
      if (bar && started) bar.stop();
    },
  };
}
