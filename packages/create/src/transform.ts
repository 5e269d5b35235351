import { applyRegions } from './regions.js';
import { PAYMENTS, type PaymentPath, REPOSITORY_ONLY_REGION, type Template } from './templates.js';

/** What a starter leaves out of its template: the other payment paths' parts, and the repo's. */
export interface Removals {
  /** Files and folders, relative to the template, `/`-separated. */
  files: string[];
  packages: string[];
  regions: Set<string>;
}

/**
 * Everything of the payment paths not chosen, and the regions only the repository's example has.
 *
 * @example
 * removalsFor(TEMPLATES[0], PAYMENTS[0]).files // ['stripe.js', 'test/stripe.test.ts']
 */
export function removalsFor(template: Template, payment: PaymentPath): Removals {
  const others = PAYMENTS.filter((path) => path.id !== payment.id);
  return {
    files: others.flatMap((path) => path.files[template.id]),
    packages: others.flatMap((path) => path.packages).filter((p) => !payment.packages.includes(p)),
    regions: new Set([REPOSITORY_ONLY_REGION, ...others.map((path) => path.id)]),
  };
}

/** Whether `file` is one of the removed files, or inside a removed folder. */
export function isRemoved(file: string, removals: Removals): boolean {
  return removals.files.some((removed) => file === removed || file.startsWith(`${removed}/`));
}

const CODE = /\.(m?[jt]sx?|svelte)$/;
const IMPORT = /^[ \t]*import\s+(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"];?[ \t]*\r?\n/gm;
const EXTENSIONS = ['', '.js', '.ts', '.tsx', '.jsx', '/index.js', '/index.ts', '/index.tsx'];

/** `a/b/../c` to `a/c`, for the relative imports of a template's files. */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

/** Whether an import in `file` names a removed package, or a removed file of the template. */
function importsRemoved(specifier: string, file: string, removals: Removals): boolean {
  if (specifier.startsWith('.')) {
    const base = normalize(`${file.split('/').slice(0, -1).join('/')}/${specifier}`);
    return EXTENSIONS.some((extension) => isRemoved(`${base}${extension}`, removals));
  }
  return removals.packages.some((p) => specifier === p || specifier.startsWith(`${p}/`));
}

/**
 * A template file's text as the starter has it: the removed regions gone, and with them the
 * imports of removed files and packages; the README titled with the project's name.
 *
 * @example
 * transformText('server.js', source, removals, 'my-shop')
 */
export function transformText(
  file: string,
  text: string,
  removals: Removals,
  projectName: string,
): string {
  let result = applyRegions(text, (name) => !removals.regions.has(name), file);
  if (CODE.test(file)) {
    result = result.replace(IMPORT, (line, specifier: string) =>
      importsRemoved(specifier, file, removals) ? '' : line,
    );
  }
  if (file === 'README.md') result = result.replace(/^# .*/, `# ${projectName}`);
  return result;
}

type Manifest = Record<string, unknown> & {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
};

/** `--config <file>` (or `-c <file>`) in a script: the devserver's Stripe config, say. */
const CONFIG_FLAG = /\s(?:--config|-c)[ =](\S+)/g;

/**
 * The template's package.json for the project: its name, without the removed packages, and
 * without the `--config <file>` of a script whose file was removed (the direct starter's
 * `npm run dev` has no Stripe config to read).
 *
 * @example
 * transformManifest(manifest, removals, 'my-shop').name // 'my-shop'
 */
export function transformManifest(manifest: Manifest, removals: Removals, name: string): Manifest {
  const without = (deps: Record<string, string> | undefined) =>
    deps &&
    Object.fromEntries(Object.entries(deps).filter(([dep]) => !removals.packages.includes(dep)));
  const result: Manifest = { ...manifest, name };
  if (manifest.dependencies) result.dependencies = without(manifest.dependencies);
  if (manifest.devDependencies) result.devDependencies = without(manifest.devDependencies);
  if (manifest.scripts) {
    result.scripts = Object.fromEntries(
      Object.entries(manifest.scripts).map(([name, script]) => [
        name,
        script.replace(CONFIG_FLAG, (flag, file: string) =>
          isRemoved(file, removals) ? '' : flag,
        ),
      ]),
    );
  }
  return result;
}
