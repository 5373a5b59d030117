import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { App } from '../src/app.ts';
import type { Rule } from '../src/core/rules/index.ts';
import type { SqlContext } from './rule-to-sql.ts';
import { RULE_TABLES } from './rule-to-sql.ts';

/** The tenant's profiles and realisations copied into an in-memory DuckDB, for the sizing peers. */
export interface DuckCopy {
  connection: DuckDBConnection;
  profiles: number;
  realisations: number;
  /** what `ruleToSql` needs, at the program's time of evaluation */
  sql: SqlContext;
  /** runs a query and returns its first row as numbers */
  numbers(query: string): Promise<number[]>;
  close(): void;
}

/**
 * Exports every profile (attributes, ID types) and every realisation (profile, trait, time) of the
 * tenant into DuckDB tables `profiles` and `realisations`, through the appender.
 * Example: `const duck = await copyToDuckDB(app, 'bench', now); await duck.numbers('SELECT count(*) FROM profiles')`.
 */
export async function copyToDuckDB(app: App, tenant: string, now: number): Promise<DuckCopy> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of RULE_TABLES) await connection.run(table);
  const store = app.qualify.profilesOf(tenant);
  const people = await connection.createAppender('profiles');
  const facts = await connection.createAppender('realisations');
  let profiles = 0;
  let realisations = 0;
  store.forEach((p) => {
    const a = store.attributes(p);
    people.appendInteger(p);
    people.appendInteger(a.visits);
    people.appendInteger(a.pageviews);
    appendNumber(people, a.firstSeen);
    appendNumber(people, a.lastSeen);
    for (const text of [
      a.geo.country,
      a.geo.region,
      a.geo.city,
      a.device.type,
      a.device.os,
      a.device.browser,
    ]) {
      appendText(people, text);
    }
    people.appendVarchar(`,${Object.keys(store.idsOf(p)).join(',')},`);
    people.endRow();
    profiles++;
    const view = store.view(p);
    for (const summary of store.traitSummaries(p)) {
      for (const ts of view.realisationTimes(summary.traitId)) {
        facts.appendInteger(p);
        facts.appendInteger(summary.traitId);
        facts.appendDouble(ts);
        facts.endRow();
        realisations++;
      }
    }
  });
  people.closeSync();
  facts.closeSync();
  const rules = app.qualify.rules(tenant);
  const segmentRules = new Map<string, Rule>();
  for (const s of rules.segmentDefinitions()) segmentRules.set(s.code, s.ruleJson as Rule);
  return {
    connection,
    profiles,
    realisations,
    sql: { now, trait: (code) => rules.trait(code), segmentRule: (code) => segmentRules.get(code) },
    async numbers(query) {
      const reader = await connection.runAndReadAll(query);
      return (reader.getRows()[0] ?? []).map((v) => Number(v));
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function appendNumber(appender: DuckDBAppender, value: number): void {
  if (Number.isFinite(value)) appender.appendDouble(value);
  else appender.appendNull();
}

function appendText(appender: DuckDBAppender, value: string | undefined): void {
  if (value === undefined) appender.appendNull();
  else appender.appendVarchar(value);
}
