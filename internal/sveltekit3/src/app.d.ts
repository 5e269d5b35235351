// `locals.datafast` needs no line here: @datafast-checkout/sveltekit declares it on App.Locals.
declare global {
  namespace App {}
}

export {};
