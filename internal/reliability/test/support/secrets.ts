/**
 * Every credential the suite hands to a client, an app or the devserver. None of them may appear
 * in any output the suite captures (global-setup.ts scans it all at the end).
 */
export const secrets = {
  /** The devserver website's `df_` key, which every client of the suite uses. */
  apiKey: 'df_reliability_5c1e0a9b7d3f4e21',
  /** An account token with payments:write on the website. */
  token: 'dft_reliability_8a2d6f0c3b9e4d17',
  /** An account token without payments:write. */
  readOnlyToken: 'dft_reliability_readonly_4e7b1c9a',
  /** An account token with payments:write on another website only. */
  otherSiteToken: 'dft_reliability_othersite_2f6a8d0e',
  /** The key of the other website. */
  otherSiteKey: 'df_reliability_other_9d3b7e1f5a2c',
  /** Stripe's webhook signing secret. */
  webhookSecret: 'whsec_reliability_0b4f8e2a6c1d9e37',
  /** The Stripe secret key the examples use against the Stripe stand-in. */
  stripeKey: 'sk_test_reliability_7e3a1f9c5b2d8e40',
} as const;

/** The website every key above belongs to (but the other site's). */
export const websiteId = 'site_reliability';
export const otherWebsiteId = 'site_reliability_other';

/** Where a secret was found: the source, which secret, and the text around it (redacted). */
export interface SecretFinding {
  source: string;
  secret: keyof typeof secrets;
  context: string;
}

/**
 * Every occurrence of a secret in the given texts. The context shows where, with the secret
 * itself replaced, so the report of a leak does not leak it again.
 *
 * @example
 * findSecrets({ 'app.log': 'key=df_…' }) // [{ source: 'app.log', secret: 'apiKey', context: 'key=[apiKey]' }]
 */
export function findSecrets(texts: Record<string, string>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [source, text] of Object.entries(texts)) {
    for (const [name, value] of Object.entries(secrets) as [keyof typeof secrets, string][]) {
      let at = text.indexOf(value);
      while (at !== -1) {
        const around = text.slice(Math.max(0, at - 60), at + value.length + 60);
        findings.push({ source, secret: name, context: around.split(value).join(`[${name}]`) });
        at = text.indexOf(value, at + value.length);
      }
    }
  }
  return findings;
}
