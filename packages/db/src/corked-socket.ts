import net from 'node:net';

/** What postgres.js hands its `socket` option: the connection options it parsed. */
interface SocketOptions {
  readonly host: readonly string[];
  readonly port: readonly number[];
  readonly path?: string | false;
}

/**
 * A socket to PostgreSQL that sends everything written to it in one tick as one write.
 *
 * postgres.js sends a message at once when its buffer reaches 1 KB, so a transaction's writes
 * (and a group commit's, dozens of sessions' worth) left in one system call per kilobyte; on
 * this kind of machine a system call that wakes another process costs ~0.2 ms. Corked from its
 * first write of a tick until the next turn of the event loop, the socket hands them to the
 * kernel together (one `writev`), in the order written. `onWrite` is called at each such write.
 */
export function corkedSocket(
  options: SocketOptions,
  onWrite: () => void = () => undefined,
): net.Socket {
  const host = options.host[0] ?? 'localhost';
  // A socket that says it is full makes postgres.js send the rest of a transaction one
  // statement per round trip (it queues them until each answer); corked, a group's statements
  // pass Node's default 16 KB mark within a tick, so the mark is set well above one tick's worth.
  // (Node's Socket passes it on to its stream; its types do not list it.)
  const connectOptions: net.NetConnectOpts & { writableHighWaterMark: number } = options.path
    ? { path: options.path, writableHighWaterMark: 4 * 1024 * 1024 }
    : {
        host,
        port: options.port[0] ?? 5432,
        noDelay: true,
        writableHighWaterMark: 4 * 1024 * 1024,
      };
  const socket = net.connect(connectOptions);
  // postgres.js names the server from it when it upgrades to TLS.
  Object.assign(socket, { host });
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
    onWrite();
  };
  socket.write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write(...args);
  };
  return socket;
}

/**
 * Whether `url` names one server (the case {@link corkedSocket} serves); a URL with several
 * hosts keeps postgres.js's own sockets, which try them in turn.
 */
export function namesOneHost(url: string): boolean {
  const authority = /^[a-z]+:\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(url)?.[1] ?? '';
  return !authority.includes(',');
}
