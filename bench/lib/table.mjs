// The one table `pnpm bench` prints and writes to RESULTS.md.
import { summary } from './stats.mjs';

/**
 * One row. `ratios` holds the figure of each round (a ratio, a percentage or a difference in
 * ms, per `unit`); the table shows their median and range. `met`: `true`/`false` against the
 * goal (or a function of the median that says so), `null` where the row is a reference (a
 * control, the naive integration) with no goal, or a string verdict of its own.
 */
export function row({ id, title, baseline, measured, ratios, unit, goal = '', met = null }) {
  const figure = summary(ratios);
  const verdict = typeof met === 'function' ? met(figure.median) : met;
  return { id, title, baseline, measured, figure, unit, goal, met: verdict };
}

const formats = {
  x: (value) => `${value.toFixed(2)}x`,
  '%': (value) => `${value.toFixed(2)}%`,
  ms: (value) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} ms`,
};

/** `1.02x [0.98–1.05]`: the median over the rounds, and the range in brackets. */
export function formatFigure({ median, min, max }, unit) {
  const format = formats[unit];
  return `${format(median)} [${format(min)} – ${format(max)}]`;
}

/** µs or ms with three significant digits, for the baseline and measured columns. */
export function duration(ms) {
  if (Math.abs(ms) >= 1) return `${ms.toPrecision(3)} ms`;
  return `${(ms * 1000).toPrecision(3)} µs`;
}

/** The Markdown table of every row. */
export function markdownTable(rows) {
  const lines = [
    '| # | measurement | baseline | ours | ratio: median [range over rounds] | goal | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const verdict =
      typeof r.met === 'string' ? r.met : r.met === null ? 'ref' : r.met ? 'met' : '**missed**';
    const cells = [r.id, r.title, r.baseline, r.measured, formatFigure(r.figure, r.unit), r.goal];
    lines.push(`| ${cells.map(escapeCell).join(' | ')} | ${verdict} |`);
  }
  return lines.join('\n');
}

const escapeCell = (text) => String(text).replaceAll('|', '\\|');
