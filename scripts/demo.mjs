// `pnpm demo`: a local DataFast devserver (API, dashboard, stand-in tracker) and the Express
// example checkout wired to it. Pay on the checkout page, watch the payment arrive, attributed,
// on the dashboard. Ctrl-C stops both, letting the checkout flush its pending reports first.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@datafast-checkout/devserver';

const checkoutPort = Number(process.env.PORT ?? 3000);
const devserverPort = Number(process.env.DEVSERVER_PORT ?? 4100);

const dev = await startDevServer({ port: devserverPort, quiet: true });
const checkout = spawn(process.execPath, ['server.js'], {
  cwd: fileURLToPath(new URL('../examples/express-checkout/', import.meta.url)),
  env: {
    ...process.env,
    PORT: String(checkoutPort),
    DATAFAST_BASE_URL: dev.url,
    DATAFAST_API_KEY: dev.apiKey,
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

console.log(`
  DataFast devserver (a local stand-in, not DataFast itself)
    dashboard   ${dev.url}/
    API         ${dev.url}/api/v1/payments  (key ${dev.apiKey})
  Example checkout (examples/express-checkout)
    checkout    http://127.0.0.1:${checkoutPort}/

  Open the checkout, pay, and watch the dashboard. Ctrl-C to stop.
`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (checkout.exitCode === null && checkout.signalCode === null) {
    checkout.kill('SIGTERM');
    await new Promise((resolve) => checkout.once('exit', resolve));
  }
  await dev.close();
  process.exit(code);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
checkout.on('exit', (code, signal) => {
  if (!stopping) {
    console.error(`The example checkout exited (${signal ?? code}); stopping the devserver.`);
    stop(code ?? 1);
  }
});
