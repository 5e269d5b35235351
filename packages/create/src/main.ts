import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { isUnreleased, prereleaseTarballs } from './prerelease.js';
import { createProject, isEmpty, NotEmptyError } from './project.js';
import { ask, choose, openTerminal } from './prompt.js';
import { PAYMENTS, type PaymentPath, TEMPLATES, type Template } from './templates.js';

declare const __PACKAGE_VERSION__: string;

/** The command line's usage text. */
export const USAGE = `Usage: create-datafast-checkout [folder] [options]
       npm create @datafast-checkout@latest my-shop -- --template next --payment stripe

Writes a starter that reports every payment to DataFast (datafa.st) with the visitor's
attribution: an Express, Next.js, SvelteKit, Hono, Fastify, Nuxt or Astro checkout on the @datafast-checkout packages,
with a local DataFast devserver beside it in \`npm run dev\`. (@datafast-checkout is an independent
project, not DataFast's.)

Options:
  -t, --template <name>   ${TEMPLATES.map((t) => t.id).join(', ')}
  -p, --payment <path>    direct (your own checkout) or stripe (a Stripe payment link and its
                          webhook too)
  -y, --yes               ask nothing; what is not given takes its default
                          (${TEMPLATES[0]?.id}, ${PAYMENTS[0]?.id}, my-shop)
  -f, --force             write into a folder that is not empty
  -h, --help              show this help
  -v, --version           show the version

Questions are asked only in a terminal; elsewhere (CI) give --template and --payment, or --yes.`;

/** Where the creator reads and writes, and what it knows of how it was started. */
export interface CreateIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
  /** Whether questions may be asked: stdin is a terminal. */
  interactive: boolean;
  /** `npm_config_user_agent`, to name the package manager in the next steps. */
  userAgent?: string | undefined;
  /** Where the built templates are (tests). Default: the ones shipped in this package. */
  templatesDir?: string;
}

class UsageError extends Error {}

function byId<T extends { id: string }>(options: readonly T[], id: string, flag: string): T {
  const found = options.find((option) => option.id === id);
  if (!found) {
    throw new UsageError(
      `${flag} must be one of ${options.map((o) => o.id).join(', ')}, not "${id}"`,
    );
  }
  return found;
}

/** The commands that run a project, in the package manager that ran the creator. */
function runCommands(userAgent = ''): { install: string; dev: string } {
  const manager = /^(pnpm|yarn|bun)\//.exec(userAgent)?.[1] ?? 'npm';
  const dev = { npm: 'npm run dev', pnpm: 'pnpm dev', yarn: 'yarn dev', bun: 'bun run dev' };
  return { install: `${manager} install`, dev: dev[manager as keyof typeof dev] };
}

/**
 * The creator's command line: takes the choices from flags, or asks for them in a terminal,
 * writes the project and says what to run next. Resolves with the exit code.
 *
 * @example
 * process.exitCode = await runCreate(['my-shop', '--template', 'next', '--yes'], io)
 */
export async function runCreate(argv: string[], io: CreateIo): Promise<number> {
  const fail = (message: string, code: number) => {
    io.errors.write(`create-datafast-checkout: ${message}\n`);
    return code;
  };
  const notEmpty = (directory: string) =>
    fail(`${directory} is not empty; choose another folder, or pass --force`, 1);
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  let template: Template | undefined;
  let payment: PaymentPath | undefined;
  try {
    ({ values, positionals } = parse(argv));
    if (positionals.length > 1) throw new UsageError(`one folder, not ${positionals.join(' ')}`);
    if (values.template) template = byId(TEMPLATES, values.template, '--template');
    if (values.payment) payment = byId(PAYMENTS, values.payment, '--payment');
  } catch (error) {
    return fail(`${(error as Error).message}\nRun create-datafast-checkout --help for usage.`, 2);
  }
  if (values.help) {
    io.output.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    io.output.write(`${__PACKAGE_VERSION__}\n`);
    return 0;
  }

  let directory = positionals[0];
  if (!values.yes && !io.interactive && (!template || !payment)) {
    return fail(
      'no terminal to ask in: give --template and --payment (or --yes for the defaults)',
      2,
    );
  }
  if (values.yes || !io.interactive) {
    template ??= TEMPLATES[0] as Template;
    payment ??= PAYMENTS[0] as PaymentPath;
    directory ??= 'my-shop';
  } else {
    const terminal = openTerminal(io.input, io.output);
    try {
      directory ??= await ask(terminal, 'Project folder', 'my-shop');
      // Said before the other questions, not after them.
      if (!values.force && !(await isEmpty(directory))) return notEmpty(directory);
      template ??= await choose(terminal, 'Which framework?', TEMPLATES);
      payment ??= await choose(terminal, 'Which payment path?', PAYMENTS);
    } catch {
      return fail('cancelled: no answer', 1);
    } finally {
      terminal.close();
    }
  }

  try {
    await createProject({
      template,
      payment,
      directory,
      force: values.force === true,
      ...(io.templatesDir ? { templatesDir: io.templatesDir } : {}),
    });
  } catch (error) {
    if (!(error instanceof NotEmptyError)) throw error;
    return notEmpty(directory);
  }

  const run = runCommands(io.userAgent);
  const folder = relative(process.cwd(), directory);
  const cd = folder ? `\n  cd ${/[\s'"$]/.test(folder) ? JSON.stringify(folder) : folder}` : '';
  io.output.write(`
Created ${directory}: ${template.label}, with ${payment.summary}.

Next:${cd}
  ${run.install}
  ${run.dev}   the app on ${template.devUrl}, a local DataFast devserver on http://127.0.0.1:4100

Pay on the page and watch the payment arrive, attributed, on the devserver's dashboard.
.env.example explains every variable; README.md says what to replace for production.
`);
  if (isUnreleased(__PACKAGE_VERSION__)) {
    const manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
    const tarballs = prereleaseTarballs(manifest, __PACKAGE_VERSION__);
    io.output.write(`
Before the packages' first release, \`${run.install}\` answers E404. Pack them in a clone of the
repository (its README, "Before the first release"), then install these instead:
  npm install ${tarballs.join(' \\\n    ')}
Once they are published, the plain \`${run.install}\` works.
`);
  }
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: 'string', short: 't' },
      payment: { type: 'string', short: 'p' },
      yes: { type: 'boolean', short: 'y' },
      force: { type: 'boolean', short: 'f' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
