import type { BoundDatafast } from '@datafast-checkout/sveltekit';

// A user's own App.Locals, as SvelteKit's template writes it, with the one-line declaration the
// README documents for setups that want it spelled out: both must merge with the package's own.
declare global {
  namespace App {
    interface Locals {
      user: { id: string } | null;
      datafast: BoundDatafast;
    }
  }
}
