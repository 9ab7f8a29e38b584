import net, { type Server, type Socket } from 'node:net';

/**
 * A TCP link between a client (the browser) and the gateway that a test can cut, as a network
 * does: `cut()` drops every connection at once, and connections opened while it is cut are held
 * (accepted, nothing forwarded) until `restore()` connects them through. Neither the client nor
 * the platform is told anything; they see their sockets end, as on a real drop.
 */
export class CuttableLink {
  readonly #server: Server;
  readonly #target: { host: string; port: number };
  readonly #open = new Set<Socket>();
  #held: Socket[] = [];
  #cut = false;

  private constructor(server: Server, target: { host: string; port: number }) {
    this.#server = server;
    this.#target = target;
  }

  /** A link to `targetUrl`'s host and port, listening on a free loopback port. */
  static async open(targetUrl: string): Promise<CuttableLink> {
    const target = new URL(targetUrl);
    const server = net.createServer();
    const link = new CuttableLink(server, { host: target.hostname, port: Number(target.port) });
    server.on('connection', (client) => link.#accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return link;
  }

  /** The target as reached through the link, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    const address = this.#server.address() as net.AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  cut(): void {
    this.#cut = true;
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }

  restore(): void {
    this.#cut = false;
    const held = this.#held;
    this.#held = [];
    for (const client of held) if (!client.destroyed) this.#connect(client);
  }

  async close(): Promise<void> {
    this.cut();
    for (const client of this.#held) client.destroy();
    this.#held = [];
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.#cut) {
      // What the client sends meanwhile waits in the socket's buffer and is forwarded on restore.
      client.pause();
      this.#held.push(client);
      return;
    }
    this.#connect(client);
  }

  #connect(client: Socket): void {
    const upstream = net.connect(this.#target);
    this.#open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.#open.delete(client);
      this.#open.delete(upstream);
    };
    upstream.on('error', end).on('close', end);
    client.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
