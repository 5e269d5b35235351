// `pnpm demo`: a local DataFast devserver (API, dashboard, stand-in tracker) and the Express
// example checkout wired to it. Pay on the checkout page, watch the payment arrive, attributed,
// on the dashboard. Ctrl-C stops both, letting the checkout flush its pending reports first.
// PORT (default 3000) moves the checkout, DEVSERVER_PORT (default 4100) the devserver.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@datafast-checkout/devserver';

/** Stops the demo with a message that says what to change, and no stack trace. */
function fail(message) {
  console.error(`pnpm demo: ${message}`);
  process.exit(1);
}

function portFrom(name, fallback) {
  const text = process.env[name] ?? String(fallback);
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`${name} must be a port from 0 to 65535, got "${text}"`);
  }
  return port;
}

const busy = (port, name) =>
  `port ${port} is in use (another demo or app?). Stop that, or pick a free port: ` +
  `${name}=${port + 1} pnpm demo`;

/** Resolves when `port` can be listened on the way the example does (every interface). */
function probe(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, () => server.close(() => resolve()));
  });
}

const checkoutPort = portFrom('PORT', 3000);
const devserverPort = portFrom('DEVSERVER_PORT', 4100);

// The example would die with a raw EADDRINUSE stack: check its port before starting anything.
if (checkoutPort !== 0) {
  await probe(checkoutPort).catch((error) => {
    if (error.code === 'EADDRINUSE') fail(busy(checkoutPort, 'PORT'));
    throw error;
  });
}

const dev = await startDevServer({ port: devserverPort, quiet: true }).catch((error) => {
  if (error.code === 'EADDRINUSE') fail(busy(devserverPort, 'DEVSERVER_PORT'));
  throw error;
});
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
