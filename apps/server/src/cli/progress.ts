import cliProgress from 'cli-progress';
import { count } from './output.ts';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on a terminal; elsewhere (a log, a pipe) a percentage line at each tenth, so a
 * deploy log shows the rebuild moving without a line per batch.
 */
export function progressReporter(label: string, out: NodeJS.WriteStream = process.stdout): Progress {
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} events | {duration_formatted}`,
        stream: out,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(Math.max(total, done), done);
          started = true;
        }
        bar.setTotal(Math.max(total, done));
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
      const tenth = Math.floor(percent / 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      out.write(`${label}: ${percent}% (${count(done)}/${count(Math.max(total, done))} events)\n`);
    },
    stop() {},
  };
}
