import { PaymentStore } from './api/payment-store.js';
import { DataFile } from './data/data-file.js';
import { type DevServer, RunningDevServer } from './devserver.js';
import { DevServerDataError } from './errors.js';
import { resolveConfig } from './settings/config.js';
import { type DevServerOptions, readOptions, type ServerSettings } from './settings/options.js';
import { stripeKeyFor } from './stripe/index.js';
import { PageviewStore } from './tracker/pageviews.js';

/**
 * Starts a devserver. With no websites configured it creates one (`dev.apiKey`,
 * `dev.websiteId`), keyed with `apiKey`, else the key kept in `dataFile`, else a random one.
 * Listens on an ephemeral port of 127.0.0.1 unless told otherwise.
 *
 * @example
 * const dev = await startDevServer(); // then createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url })
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startWithSettings(readOptions(options));
}

/**
 * Starts a devserver from settings already checked (the CLI reads its flags and config file
 * through the same schema), so nothing is validated twice.
 */
export async function startWithSettings(
  options: ServerSettings,
  label = 'startDevServer options',
): Promise<DevServer> {
  const file = options.dataFile ? new DataFile(options.dataFile) : undefined;
  const data = file ? await file.load() : { payments: [], pageviews: [] };
  const config = resolveConfig(options, label, options.apiKey ?? data.generatedApiKey);
  const store = new PaymentStore(file, data.payments);
  const pageviews = new PageviewStore(file, data.pageviews);
  const key = config.websites[0]?.apiKey as string;
  const stripeKey = config.stripe.secretKey ?? stripeKeyFor(key);
  const server = new RunningDevServer(
    config,
    {
      store,
      pageviews,
      stripeKey,
      ...(data.stripe ? { stripe: data.stripe } : {}),
      ...(file ? { file } : {}),
    },
    options,
  );
  // Kept at once, so that an app's .env stays valid from one start to the next.
  if (file && config.generatedWebsite && key !== file.generatedApiKey) {
    file.generatedApiKey = key;
    await store.persist().catch((error: NodeJS.ErrnoException) => {
      throw new DevServerDataError(
        `Could not write the data file ${file.path}: ${error.code ?? error.message}`,
      );
    });
  }
  await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return server;
}
