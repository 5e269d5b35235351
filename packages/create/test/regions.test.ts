import { describe, expect, it } from 'vitest';
import { applyRegions, findRegions, RegionError } from '../src/regions.js';

const server = `import express from 'express';
import { stripeRoutes } from './stripe.js';

const app = express();
// #region stripe: payment links
app.use(stripeRoutes());
// #endregion stripe
app.use(express.json());
`;

const readme = `# shop

Intro.

<!-- #region stripe -->

## Stripe payment links

The \`#region stripe\` of server.js mounts them.

<!-- #endregion stripe -->

## Tests
`;

describe('findRegions', () => {
  it('finds regions in each comment syntax, and ignores a marker quoted in prose', () => {
    expect(findRegions(server, 'server.js')).toEqual([{ name: 'stripe', start: 4, end: 6 }]);
    expect(findRegions(readme, 'README.md')).toEqual([{ name: 'stripe', start: 4, end: 10 }]);
    expect(
      findRegions('{/* #region a */}\n# #region b\n# #endregion b\n{/* #endregion a */}', 'x'),
    ).toEqual([
      { name: 'a', start: 0, end: 3 },
      { name: 'b', start: 1, end: 2 },
    ]);
  });

  it('names the file and line of a region that is never closed, or closed by another name', () => {
    expect(() => findRegions('a\n// #region stripe\nb\n', 'server.js')).toThrow(
      new RegionError('server.js:2: #region stripe is never closed'),
    );
    expect(() => findRegions('// #region a\n// #endregion b\n', 'page.tsx')).toThrow(
      new RegionError('page.tsx:2: #endregion b closes no #region b'),
    );
  });
});

describe('applyRegions', () => {
  it('drops a refused region whole, and keeps an accepted one with its markers', () => {
    expect(applyRegions(server, () => false, 'server.js')).toBe(`import express from 'express';
import { stripeRoutes } from './stripe.js';

const app = express();
app.use(express.json());
`);
    expect(applyRegions(server, (name) => name === 'stripe', 'server.js')).toBe(server);
  });

  it('leaves no doubled blank line, and none that would open a block', () => {
    expect(applyRegions(readme, () => false, 'README.md')).toBe('# shop\n\nIntro.\n\n## Tests\n');
    const svelte =
      '<script>\n  // #region stripe\n  import x from "x";\n  // #endregion stripe\n\n  let a = 1;\n</script>\n';
    expect(applyRegions(svelte, () => false, '+page.svelte')).toBe(
      '<script>\n  let a = 1;\n</script>\n',
    );
  });
});
