import { BackfillConfigError } from '../errors.js';
import type { ProviderName, ProviderSource } from '../source.js';
import { creemSource } from './creem.js';
import { dodoSource } from './dodo.js';
import { lemonSqueezySource } from './lemonsqueezy.js';
import { paddleSource } from './paddle.js';
import { polarSource } from './polar.js';
import { stripeSource } from './stripe.js';

/** Every provider the backfill reads, by the name the CLI takes. */
export const providers: Record<ProviderName, ProviderSource> = {
  stripe: stripeSource,
  lemonsqueezy: lemonSqueezySource,
  polar: polarSource,
  paddle: paddleSource,
  creem: creemSource,
  dodo: dodoSource,
};

/** The source of `name`, or an error that lists the providers. */
export function providerSource(name: string): ProviderSource {
  const source = (providers as Record<string, ProviderSource | undefined>)[name];
  if (!source) {
    throw new BackfillConfigError(
      `unknown provider "${name}": use one of ${Object.keys(providers).join(', ')}`,
    );
  }
  return source;
}
