import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PaymentPath, Template } from './templates.js';
import { isRemoved, removalsFor, transformManifest, transformText } from './transform.js';

/** What {@link createProject} writes. */
export interface CreateProjectOptions {
  template: Template;
  payment: PaymentPath;
  /** The project's folder; created when missing. */
  directory: string;
  /** Write into a folder that is not empty (files of the same name are replaced). */
  force?: boolean;
  /** Where the built templates are. Default: the ones shipped in this package. */
  templatesDir?: string;
}

/** The project folder is not empty and `force` was not given. */
export class NotEmptyError extends Error {
  override name = 'NotEmptyError';
}

/** Where the build put the templates, beside this module (dist/templates). */
export const shippedTemplates = (): string =>
  fileURLToPath(new URL('./templates/', import.meta.url));

/**
 * A valid npm package name made from a folder's name.
 *
 * @example
 * packageName('/home/ada/My Shop') // 'my-shop'
 */
export function packageName(directory: string): string {
  const name = basename(resolve(directory))
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'datafast-checkout-app';
}

/**
 * Whether a folder may take a project: missing, empty, or holding nothing but a `.git`.
 *
 * @example
 * await isEmpty('my-shop') // true after `mkdir my-shop && git init my-shop`
 */
export async function isEmpty(directory: string): Promise<boolean> {
  if (!existsSync(directory)) return true;
  return (await readdir(directory)).every((entry) => entry === '.git');
}

async function* walk(root: string, dir = ''): AsyncGenerator<string> {
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, path);
    else yield path;
  }
}

/**
 * Writes a starter: the template's files for this payment path, its package.json named after
 * the folder, `.gitignore` restored (npm would drop it from the package, so it ships as
 * `_gitignore`). Refuses a folder that is not empty unless `force`.
 *
 * @example
 * await createProject({ template: TEMPLATES[0], payment: PAYMENTS[0], directory: 'my-shop' })
 */
export async function createProject(options: CreateProjectOptions): Promise<{ files: string[] }> {
  const { template, payment, directory } = options;
  if (!options.force && !(await isEmpty(directory))) {
    throw new NotEmptyError(`${directory} is not empty`);
  }
  const source = join(options.templatesDir ?? shippedTemplates(), template.id);
  const removals = removalsFor(template, payment);
  const name = packageName(directory);
  const files: string[] = [];
  for await (const file of walk(source)) {
    if (isRemoved(file, removals)) continue;
    const target = file === '_gitignore' ? '.gitignore' : file;
    const bytes = await readFile(join(source, file));
    let content: Buffer | string = bytes;
    if (file === 'package.json') {
      const manifest = transformManifest(JSON.parse(bytes.toString('utf8')), removals, name);
      content = `${JSON.stringify(manifest, null, 2)}\n`;
    } else if (!bytes.includes(0)) {
      content = transformText(file, bytes.toString('utf8'), removals, name);
    }
    await mkdir(dirname(join(directory, target)), { recursive: true });
    await writeFile(join(directory, target), content);
    files.push(target);
  }
  return { files: files.sort() };
}
