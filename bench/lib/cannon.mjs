// Server CPU per request under load: autocannon (in this process, on the client core) drives a
// server pinned to the other core, and the server's CPU time is read from /proc around the run.
import autocannon from 'autocannon';

/** CPU µs the server spent per request over `seconds` of closed-loop load on `url`. */
export async function cpuPerRequest(server, url, { seconds = 2, connections = 8 } = {}) {
  const before = server.cpuMs();
  const result = await autocannon({ url, connections, duration: seconds });
  const cpuMs = server.cpuMs() - before;
  if (result.errors || result.non2xx || result.timeouts) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx under load`);
  }
  return (cpuMs * 1000) / result['2xx'];
}
