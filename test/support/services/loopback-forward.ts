import { createServer, connect, type Server } from 'node:net';

/**
 * 127.0.0.1:PORT on the host, forwarded to ADDRESS:PORT. bake (like Docker) speaks plain HTTP
 * only to a loopback registry, so a registry inside an engine's network namespace, at
 * 127.0.0.1 for that engine, is reached at the same name from the host through this.
 */
export async function forwardLoopback(port: number, address: string): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(port, address);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}
