import type { BackfillSummary } from './summary.js';

/** Shows a run's progress: a bar redrawn in place on a terminal, a plain line per page otherwise. */
export interface Progress {
  /** After each payment. */
  update(summary: Readonly<BackfillSummary>): void;
  /** After each page. */
  page(summary: Readonly<BackfillSummary>): void;
  done(): void;
}

/**
 * A progress display on `stream` (stderr): on a terminal, one line redrawn at most ten times a
 * second (listed, reported, failed, rate, and ETA when `expected` is known from the preview);
 * otherwise a line each time a page finishes.
 */
export function progressOn(stream: NodeJS.WriteStream, expected: number | undefined): Progress {
  const started = Date.now();
  let lastDraw = 0;
  const line = (summary: Readonly<BackfillSummary>) => {
    const handled = summary.reported + summary.duplicates + summary.failed;
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const rate = handled / seconds;
    const eta =
      expected && rate > 0 ? ` · ETA ${Math.max(0, Math.ceil((expected - handled) / rate))} s` : '';
    const bar = expected ? `${barOf(handled / expected)} ` : '';
    return `${bar}listed ${summary.listed} · reported ${summary.reported} · already in DataFast ${summary.duplicates} · failed ${summary.failed} · ${rate.toFixed(1)}/s${eta}`;
  };
  if (stream.isTTY) {
    return {
      update(summary) {
        if (Date.now() - lastDraw < 100) return;
        lastDraw = Date.now();
        stream.write(`\r\x1b[2K${line(summary)}`);
      },
      page() {},
      done: () => stream.write('\r\x1b[2K'),
    };
  }
  return {
    update() {},
    page: (summary) => stream.write(`page ${summary.pages}: ${line(summary)}\n`),
    done: () => {},
  };
}

function barOf(share: number): string {
  const width = 20;
  const filled = Math.round(Math.min(1, Math.max(0, share)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
