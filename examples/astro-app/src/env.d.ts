// `locals.datafast` needs no line here: @datafast-checkout/astro declares it on App.Locals.
/// <reference types="astro/client" />
