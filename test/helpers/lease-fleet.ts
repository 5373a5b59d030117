/**
 * The workers of the partition-lease tests (src/scale/partition-leases.test.ts): a fleet of
 * `PartitionLeases` on one bucket whose ownership is sampled every 2 ms (no partition may ever be owned
 * twice), a TCP proxy that cuts a worker off from NATS, and waiting helpers. Leases last 600 ms here.
 */
import assert from 'node:assert/strict';
import { connect as tcpConnect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { PartitionLeases } from '../../src/scale/partition-leases.ts';

export const TTL = 600;
export const PERIOD = TTL / 3;
export const P = 8;

interface Event {
  partition: number;
  at: number;
}

/** A worker under test, with what its callbacks saw. */
export interface Member {
  id: string;
  leases: PartitionLeases;
  gained: Event[];
  lost: Event[];
  /** callbacks running at once, at most (must stay 1) */
  maxInFlight: number;
  gone: boolean;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, condition: () => boolean, ms = 5_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await sleep(5);
  }
}

/** A TCP proxy in front of a NATS server, whose `cut()` cuts a worker off from NATS (and keeps it cut). */
export async function startProxy(target: string): Promise<{ url: string; cut(): void; close(): void }> {
  const { hostname, port } = new URL(target.replace('nats://', 'http://'));
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = tcpConnect(Number(port), hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => (sockets.delete(from), to.destroy()));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `nats://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    close() {
      server.close();
    },
  };
}

/** Workers on one bucket, and a sampler that fails the test if two of them own one partition at once. */
export class Fleet {
  readonly members: Member[] = [];
  readonly overlaps: string[] = [];
  readonly #sampler: NodeJS.Timeout;

  constructor(
    private readonly urls: string[],
    readonly bucket: string,
  ) {
    this.#sampler = setInterval(() => this.sample(), 2);
    FLEETS.add(this);
  }

  sample(): void {
    const owner = new Map<number, string>();
    for (const member of this.members) {
      if (member.gone) continue;
      for (const partition of member.leases.owned()) {
        const other = owner.get(partition);
        if (other !== undefined) this.overlaps.push(`p.${partition} owned by ${other} and ${member.id}`);
        owner.set(partition, member.id);
      }
    }
  }

  async add(id: string, gainDelayMs = 5, servers = this.urls): Promise<Member> {
    let inFlight = 0;
    const member: Member = { id, leases: undefined!, gained: [], lost: [], maxInFlight: 0, gone: false };
    const callback = (events: Event[], delay: number) => async (partition: number) => {
      inFlight++;
      member.maxInFlight = Math.max(member.maxInFlight, inFlight);
      events.push({ partition, at: Date.now() });
      await sleep(delay);
      inFlight--;
    };
    member.leases = await PartitionLeases.open({
      servers,
      bucket: this.bucket,
      partitions: P,
      worker: id,
      url: `http://${id}.test:8080`,
      ttlMs: TTL,
      onGained: callback(member.gained, gainDelayMs),
      onLost: callback(member.lost, 5),
    });
    this.members.push(member);
    member.leases.start();
    return member;
  }

  live(): Member[] {
    return this.members.filter((member) => !member.gone);
  }

  /** True when the live workers own every partition once, with these counts (any order). */
  settled(counts: number[]): boolean {
    const owned = this.live().map((member) => member.leases.owned());
    const all = owned.flat().sort((a, b) => a - b);
    const sizes = owned.map((list) => list.length).sort();
    return (
      all.length === P &&
      all.every((partition, i) => partition === i) &&
      sizes.join() === [...counts].sort().join()
    );
  }

  ownerOf(partition: number): Member | undefined {
    return this.live().find((member) => member.leases.owned().includes(partition));
  }

  async stop(member: Member): Promise<void> {
    await member.leases.stop();
    member.gone = true;
  }

  async crash(member: Member): Promise<void> {
    await member.leases.crash();
    member.gone = true;
  }

  /** Stops the sampler and every live worker, then checks what held all along. */
  async end(): Promise<void> {
    FLEETS.delete(this);
    clearInterval(this.#sampler);
    await Promise.all(this.live().map((member) => this.stop(member)));
    assert.deepEqual(this.overlaps, [], 'no partition is owned by two workers at the same instant');
    for (const member of this.members)
      assert.equal(member.maxInFlight, 1, `${member.id}'s onGained/onLost ran one at a time`);
  }
}

/** Fleets not ended: a test that failed before its `fleet.end()` leaves them to the `after` hooks. */
const FLEETS = new Set<Fleet>();

/** Stops every worker a failed test left running (their renewals would keep the process alive). */
export async function abandonFleets(): Promise<void> {
  for (const fleet of FLEETS) await fleet.end().catch(() => undefined);
}
