import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { duplexPair } from 'node:stream';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import type { AuthenticateError, Client } from 'aedes';
import { listenOn } from '../sources/proxy/sockets.js';
import { LoginLimit } from './login-limit.js';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** The appliance's client id: a network client using it would take over (end) its session. */
  applianceClientId: string;
  /**
   * How other clients log in: the configured MQTT user and password, or, when none is set, any
   * user name with the admin password (checked by `adminPassword`).
   */
  login: { username: string; password: string } | { adminPassword: (password: string) => Promise<boolean> };
}

/**
 * An MQTT broker inside leakwatch (aedes, pure JS, MQTT 3.1.1) for setups without one: the
 * appliance publishes to it through an in-process stream, and phones or Home Assistant subscribe
 * to it over TCP. Only that in-process connection may publish — no client can pose as the
 * appliance by its client id, since the stream is never reachable from the network — and every
 * network client must log in (5 failed tries a minute per address, like the web login).
 */
export class EmbeddedBroker {
  /** The broker's ends of in-process connections: the appliance itself. */
  private readonly appliance = new WeakSet<Duplex>();

  private constructor(
    private readonly aedes: Aedes,
    private readonly server: Server,
  ) {}

  static async start(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker();
    const server = createServer((socket) => aedes.handle(socket));
    const broker = new EmbeddedBroker(aedes, server);
    const limit = new LoginLimit();
    aedes.authenticate = (client, username, password, done) => {
      if (broker.isAppliance(client)) return done(null, true);
      if (client.id === options.applianceClientId) return done(refused(2, `client id ${client.id} is leakwatch's own`), null);
      const address = (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown';
      if (!limit.allows(address)) return done(refused(5, `too many failed logins from ${address}; wait a minute`), null);
      const wrong = () => {
        limit.failed(address);
        return refused(4, 'bad user name or password');
      };
      void loginMatches(options.login, username, password).then((ok) => done(ok ? null : wrong(), ok || null), () => done(wrong(), null));
    };
    aedes.authorizePublish = (client, _packet, done) => done(client && broker.isAppliance(client) ? null : new Error('only leakwatch publishes on its embedded broker; clients may subscribe'));
    try {
      await listenOn(server, options.port, options.host);
    } catch (error) {
      // aedes runs a heartbeat timer: left open, it would keep a failed start from exiting.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      throw error;
    }
    return broker;
  }

  /** A connection into the broker for the appliance's own publisher: trusted, allowed to publish. */
  connectInProcess(): Duplex {
    const [ours, theirs] = duplexPair();
    // Node 20's duplexPair does not pass a close across: without this, a disconnect leaves the
    // publisher's end open and its end() waits for ever.
    theirs.once('close', () => ours.destroy());
    ours.once('close', () => theirs.destroy());
    this.appliance.add(theirs);
    this.aedes.handle(theirs);
    return ours;
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await stopped;
  }

  private isAppliance(client: Client): boolean {
    return this.appliance.has(client.conn as Duplex);
  }
}

async function loginMatches(login: EmbeddedBrokerOptions['login'], username: string | undefined, password: Buffer | undefined): Promise<boolean> {
  if (!password) return false;
  if ('adminPassword' in login) return login.adminPassword(password.toString('utf8'));
  return sameText(username ?? '', login.username) && sameText(password.toString('utf8'), login.password);
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A refusal with its CONNACK return code (2 identifier rejected, 4 bad user name or password, 5 not authorized), which clients show. */
function refused(returnCode: 2 | 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: returnCode as AuthenticateError['returnCode'] });
}
