// See https://svelte.dev/docs/kit/types#app.d.ts
// `locals.datafast` needs no line here: @datafast-checkout/sveltekit declares it on App.Locals.
declare global {
  namespace App {
    interface Locals {
      /** Set by the `requestId` handle in hooks.server.ts. */
      requestId: string;
    }
  }
}

export {};
