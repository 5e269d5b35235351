// What must never be in a package we publish, judged on the packed tarball's manifest and file
// list (what npm would receive), not on the source folder.

/** Dependency specs that only mean something inside this workspace or on this machine. */
const localSpec = /^(workspace|link|file|portal|catalog):/;

/** Tests, fixtures and tool configs: they belong in the repository, not in users' node_modules. */
const testFile = [
  /(^|\/)(test|tests|__tests__|__mocks__|__fixtures__|fixtures|e2e)\//,
  /\.(test|spec|bench)\.[^/]+$/,
  /(^|\/)(vitest|vite|jest|playwright|tsup)\.config\.[^/]+$/,
  /(^|\/)tsconfig[^/]*\.json$/,
  /(^|\/)\.[^/]+\//, // dot folders (.turbo, a test's scratch folder)
];

/** The project templates `@datafast-checkout/create` writes starters from. */
const projectTemplate = /^dist\/templates\//;

/** Files that hold, or usually hold, keys and secrets. */
const secretFile = [
  /(^|\/)\.env(\.[^/]*)?$/,
  /(^|\/)\.npmrc$/,
  /\.(pem|key|p12|pfx)$/,
  /(^|\/)\.devserver-data[^/]*\.json$/, // the devserver's data file holds its dev key and emails
];

/**
 * The problems that stop a tarball from being published, each a sentence naming the package.
 * @param {{ manifest: import('./workspace.mjs').Manifest; files: string[] }} packed the packed
 *   package.json and the paths inside the tarball, relative to its `package/` folder
 * @param {{ privateNames: Set<string>; version: string; repository: string; folder: string }} expected
 *   the workspace's private package names, the version `changeset version` gave the package, the
 *   repository's GitHub address and the package's folder in it
 * @returns {string[]}
 * @example tarballProblems({ manifest, files }, { privateNames, version: '0.1.0', repository, folder })
 */
export function tarballProblems(
  { manifest, files },
  { privateNames, version, repository, folder },
) {
  const name = manifest.name;
  const problems = [];
  if (manifest.private) problems.push(`${name} is private but was packed for publishing`);
  if (manifest.version !== version) {
    problems.push(
      `${name} was packed as ${manifest.version}, but changeset version made ${version}`,
    );
  }
  for (const field of [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
    'devDependencies',
  ]) {
    for (const [dependency, spec] of Object.entries(manifest[field] ?? {})) {
      if (localSpec.test(spec)) {
        problems.push(`${name}: ${field}.${dependency} is "${spec}", which npm cannot install`);
      }
      if (field !== 'devDependencies' && privateNames.has(dependency)) {
        problems.push(`${name}: ${field}.${dependency} is a private workspace package`);
      }
    }
  }
  for (const hook of ['preinstall', 'install', 'postinstall']) {
    if (manifest.scripts?.[hook]) problems.push(`${name} runs a "${hook}" script on install`);
  }
  const publishConfig = manifest.publishConfig ?? {};
  if (publishConfig.access !== 'public') {
    problems.push(`${name}: publishConfig.access must be "public" (a scoped package is private)`);
  }
  if (publishConfig.provenance !== true) {
    problems.push(`${name}: publishConfig.provenance must be true (npm provenance)`);
  }
  const url = typeof manifest.repository === 'object' ? manifest.repository.url : undefined;
  if (url !== `git+${repository}.git` || manifest.repository?.directory !== folder) {
    problems.push(
      `${name}: repository must be { url: "git+${repository}.git", directory: "${folder}" }: ` +
        'npm refuses a provenance statement for another repository',
    );
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) problems.push(`${name}: ${required} is not in the tarball`);
  }
  for (const file of files) {
    // A creator's templates are projects: their tests, tool configs and .env.example belong.
    const template = projectTemplate.test(file);
    if (!template && testFile.some((pattern) => pattern.test(file))) {
      problems.push(`${name}: ${file} is a test or tool file`);
    }
    const example = template && /(^|\/)\.env\.example$/.test(file);
    if (!example && secretFile.some((pattern) => pattern.test(file))) {
      problems.push(`${name}: ${file} may hold secrets`);
    }
  }
  return problems;
}
