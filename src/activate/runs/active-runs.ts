import type { ActivationRun } from '../../catalog/catalog.ts';

/**
 * Why a run was stopped before its end; the run is saved `cancelled` with this reason.
 *
 * Example: `controller.abort(new RunCancelled("destination 'hook' was deleted"))`
 */
export class RunCancelled extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RunCancelled';
  }
}

/** A run this process is doing (or about to): what stops it, and how it ended (undefined: it never started). */
export interface ActiveRun {
  tenant: string;
  destination: string;
  runId: string;
  controller: AbortController;
  done: Promise<ActivationRun | undefined>;
}

/**
 * The runs in progress, at most one per destination, found by destination or by run ID.
 *
 * Example:
 * ```ts
 * const claim = active.claim('t1', 'hook', 'run-1'); // undefined: the destination is running
 * claim?.ended(runner.execute(...));                 // or claim.ended(undefined) if it never started
 * active.byRun('t1', 'run-1')?.controller.abort(new RunCancelled('cancelled through the API'));
 * ```
 */
export class ActiveRuns {
  private readonly byDestination = new Map<string, ActiveRun>();

  /** Takes the destination for a run, or undefined when one of it is in progress. */
  claim(
    tenant: string,
    destination: string,
    runId: string,
  ): { run: ActiveRun; ended(done: Promise<ActivationRun> | undefined): void } | undefined {
    const key = keyOf(tenant, destination);
    if (this.byDestination.has(key)) return undefined;
    let settle: (run: Promise<ActivationRun | undefined>) => void = () => {};
    const done = new Promise<ActivationRun | undefined>((resolve) => {
      settle = resolve;
    });
    const run: ActiveRun = { tenant, destination, runId, controller: new AbortController(), done };
    this.byDestination.set(key, run);
    return {
      run,
      ended: (ending) => {
        const finished = (ending ?? Promise.resolve(undefined)).finally(() => {
          if (this.byDestination.get(key) === run) this.byDestination.delete(key);
        });
        settle(finished);
      },
    };
  }

  has(tenant: string, destination: string): boolean {
    return this.byDestination.has(keyOf(tenant, destination));
  }

  ofDestination(tenant: string, destination: string): ActiveRun | undefined {
    return this.byDestination.get(keyOf(tenant, destination));
  }

  byRun(tenant: string, runId: string): ActiveRun | undefined {
    for (const run of this.byDestination.values()) {
      if (run.tenant === tenant && run.runId === runId) return run;
    }
    return undefined;
  }

  /** The tenant's runs in progress (or waiting for their turn). */
  ofTenant(tenant: string): ActiveRun[] {
    return [...this.byDestination.values()].filter((run) => run.tenant === tenant);
  }

  /** How every run in progress ends. */
  endings(): Promise<ActivationRun | undefined>[] {
    return [...this.byDestination.values()].map((run) => run.done);
  }
}

function keyOf(tenant: string, destination: string): string {
  return `${tenant}\n${destination}`;
}
