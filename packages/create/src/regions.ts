/**
 * The parts of an example that only some starters keep are marked in the example itself, in the
 * comment syntax of each file: `// #region stripe` … `// #endregion stripe` (also `#`, `<!-- -->`
 * and `{/* *\/}`). The creator drops a region whole, or keeps it with its markers, which go on
 * telling the project's owner what to delete to drop that part later.
 */

/** A marked block of lines, by index, markers included. */
export interface Region {
  name: string;
  start: number;
  end: number;
}

// A marker is a line of its own that starts with a comment: `//`, `#`, `<!--` or `{/*`.
const START = /^\s*(?:\/\/|#|<!--|\{\/\*)\s*#region\s+([\w-]+)/;
const END = /^\s*(?:\/\/|#|<!--|\{\/\*)\s*#endregion\s+([\w-]+)/;

/** A region marker that does not pair up; the message names the file and the line. */
export class RegionError extends Error {
  override name = 'RegionError';
}

/**
 * The regions of a text, outermost first; throws a {@link RegionError} when markers do not pair.
 *
 * @example
 * findRegions('a\n// #region stripe\nb\n// #endregion stripe\n', 'server.js') // [{ name: 'stripe', start: 1, end: 3 }]
 */
export function findRegions(text: string, file: string): Region[] {
  const regions: Region[] = [];
  const open: Array<{ name: string; start: number }> = [];
  text.split('\n').forEach((line, index) => {
    const start = START.exec(line)?.[1];
    const end = END.exec(line)?.[1];
    if (start) open.push({ name: start, start: index });
    if (end) {
      const last = open.pop();
      if (!last || last.name !== end) {
        throw new RegionError(`${file}:${index + 1}: #endregion ${end} closes no #region ${end}`);
      }
      regions.push({ ...last, end: index });
    }
  });
  const unclosed = open.pop();
  if (unclosed) {
    throw new RegionError(
      `${file}:${unclosed.start + 1}: #region ${unclosed.name} is never closed`,
    );
  }
  return regions.sort((a, b) => a.start - b.start);
}

/** Whether a blank line left where a block was removed would open its block or double a blank. */
const redundantBlank = (previous: string | undefined) =>
  previous === undefined || previous.trim() === '' || /[{([>]\s*$/.test(previous);

/**
 * The text without the regions that `keep` refuses. Where a block goes, so does a blank line
 * that would now double another or open a block.
 *
 * @example
 * applyRegions(source, (name) => name === 'stripe', 'server.js')
 */
export function applyRegions(text: string, keep: (name: string) => boolean, file: string): string {
  const dropped = new Set<number>();
  for (const region of findRegions(text, file)) {
    if (keep(region.name)) continue;
    for (let line = region.start; line <= region.end; line++) dropped.add(line);
  }
  if (dropped.size === 0) return text;
  const out: string[] = [];
  let afterRemoval = false;
  for (const [index, line] of text.split('\n').entries()) {
    if (dropped.has(index)) {
      afterRemoval = true;
      continue;
    }
    if (afterRemoval && line.trim() === '' && redundantBlank(out.at(-1))) continue;
    afterRemoval = false;
    out.push(line);
  }
  return out.join('\n');
}
