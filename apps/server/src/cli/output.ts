import type { Writable } from 'node:stream';

/**
 * Writes a line, waiting when the reader is slower than the log (a pipe to gzip, a terminal): an
 * export of millions of events stays within a page of memory.
 */
export async function writeLine(out: Writable, line: string): Promise<void> {
  if (out.write(`${line}\n`)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', done);
      out.off('error', done);
      error ? reject(error) : resolve();
    };
    out.once('drain', done);
    out.once('error', done);
  });
}

/** `stdout` closed by its reader (`strata events export | head`) ends the command quietly. */
export function exitQuietlyOnClosedPipe(out: Writable = process.stdout): void {
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Thousands separated: 12,345. */
export const count = (n: number) => n.toLocaleString('en-US');
