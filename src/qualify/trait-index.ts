import type { CollectedEvent } from '../core/event.ts';
import { compileEventReader } from '../core/rules/compile-source.ts';
import type { PathValue } from '../core/rules/rule-values.ts';
import type { AccessKey } from './trait-access-key.ts';
import { PREFIX_KEY_LENGTH } from './trait-access-key.ts';
import { SubstringMatcher } from './substring-matcher.ts';

/** What the index needs of an item: the log positions it applies to and what is left to test. */
export interface IndexedRule {
  /** applies to events at log positions `fromSeq <= seq < untilSeq` */
  fromSeq: number;
  untilSeq: number;
  /** the test left once the access key holds; `undefined` when the key alone decides */
  residual: ((event: CollectedEvent) => boolean) | undefined;
}

/** An item in the index's lists; `seen` marks it visited for the current event (one item, many lists). */
interface Slot<T> {
  item: T;
  seen: number;
}

interface PrefixGroup<T> {
  prefix: string;
  slots: Slot<T>[];
}

interface PathIndex<T> {
  path: string;
  eq: Map<string, Slot<T>[]>;
  /** exact prefixes grouped by their first `PREFIX_KEY_LENGTH` characters */
  prefix: Map<string, PrefixGroup<T>[]>;
  /** case-insensitive prefixes by their lower-cased first characters; `foldedAll` for non-ASCII heads */
  folded: Map<string, Slot<T>[]>;
  foldedAll: Slot<T>[];
  contains: Map<string, Slot<T>[]>;
  /** built on first use after a change */
  matcher: SubstringMatcher<Slot<T>[]> | undefined;
}

/**
 * Trait rules indexed by their access key (`trait-access-key.ts`): exact values, prefixes and contained
 * substrings of the paths they test. `matches` returns the rules an event realises: those whose key holds
 * (found by lookups, not tests) and whose residual test passes; rules without a key are tested on every
 * event. A list value is looked up element by element, as rules read lists.
 * Example: `index.add(version, key); index.matches(event, seq, out)` -> the versions realised.
 */
export class TraitIndex<T extends IndexedRule> {
  private readonly paths = new Map<string, PathIndex<T>>();
  private readonly pathList: PathIndex<T>[] = [];
  /** reads every indexed path of an event into `values`; made again when a path is added */
  private reader: ((event: CollectedEvent, out: PathValue[]) => void) | undefined;
  private readonly values: PathValue[] = [];
  private readonly rest: Slot<T>[] = [];
  private stamp = 0;
  private seq = 0;
  private out: T[] = [];
  private event: CollectedEvent | undefined;
  private readonly visitList = (slots: Slot<T>[]): void => this.visit(slots);

  add(item: T, key: AccessKey | undefined): void {
    const slot: Slot<T> = { item, seen: 0 };
    if (key === undefined) {
      this.rest.push(slot);
      return;
    }
    const index = this.pathIndex(key.path);
    if (key.kind === 'eq') for (const value of new Set(key.values)) push(index.eq, value, slot);
    else if (key.kind === 'contains') {
      push(index.contains, key.needle, slot);
      index.matcher = undefined;
    } else if (key.kind === 'prefix') {
      for (const prefix of new Set(key.prefixes)) {
        const head = prefix.slice(0, PREFIX_KEY_LENGTH);
        let groups = index.prefix.get(head);
        if (groups === undefined) index.prefix.set(head, (groups = []));
        let group = groups.find((g) => g.prefix === prefix);
        if (group === undefined) groups.push((group = { prefix, slots: [] }));
        group.slots.push(slot);
      }
    } else {
      for (const head of new Set(key.prefixes.map((p) => p.slice(0, PREFIX_KEY_LENGTH)))) {
        push(index.folded, head, slot);
      }
      index.foldedAll.push(slot);
    }
  }

  /**
   * The items the event realises at log position `seq`, each once, written to `out` (cleared first) and
   * returned. Example: `index.matches(event, 42, [])` -> `[pricingVisitorV2]`.
   */
  matches(event: CollectedEvent, seq: number, out: T[]): T[] {
    out.length = 0;
    this.stamp++;
    this.seq = seq;
    this.out = out;
    this.event = event;
    if (this.rest.length > 0) this.visit(this.rest);
    const paths = this.pathList;
    const values = this.values;
    this.reader ??= compileEventReader(paths.map((index) => index.path));
    this.reader(event, values);
    for (let i = 0; i < paths.length; i++) {
      const index = paths[i]!;
      const value = values[i];
      if (typeof value === 'string') this.lookUp(index, value);
      else if (Array.isArray(value)) {
        for (const element of value as readonly unknown[])
          if (typeof element === 'string') this.lookUp(index, element);
      }
    }
    this.event = undefined;
    return out;
  }

  private lookUp(index: PathIndex<T>, value: string): void {
    const eq = index.eq.get(value);
    if (eq !== undefined) this.visit(eq);
    if (value.length >= PREFIX_KEY_LENGTH && (index.prefix.size > 0 || index.foldedAll.length > 0)) {
      const head = value.slice(0, PREFIX_KEY_LENGTH);
      const groups = index.prefix.get(head);
      if (groups !== undefined) {
        for (let g = 0; g < groups.length; g++) {
          const group = groups[g]!;
          if (value.startsWith(group.prefix)) this.visit(group.slots);
        }
      }
      if (index.foldedAll.length > 0) {
        // RE2's case folding matches non-ASCII characters too (U+212A for "k"): test all of them then
        if (isAscii(head)) {
          const folded = index.folded.get(head.toLowerCase());
          if (folded !== undefined) this.visit(folded);
        } else this.visit(index.foldedAll);
      }
    }
    if (index.contains.size > 0) {
      index.matcher ??= new SubstringMatcher(index.contains.entries());
      index.matcher.collect(value, this.visitList);
    }
  }

  private visit(slots: Slot<T>[]): void {
    const stamp = this.stamp;
    const seq = this.seq;
    const event = this.event!;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.seen === stamp) continue;
      slot.seen = stamp;
      const item = slot.item;
      if (seq < item.fromSeq || seq >= item.untilSeq) continue;
      const residual = item.residual;
      if (residual === undefined || residual(event)) this.out.push(item);
    }
  }

  private pathIndex(path: string): PathIndex<T> {
    let index = this.paths.get(path);
    if (index === undefined) {
      index = {
        path,
        eq: new Map(),
        prefix: new Map(),
        folded: new Map(),
        foldedAll: [],
        contains: new Map(),
        matcher: undefined,
      };
      this.paths.set(path, index);
      this.pathList.push(index);
      this.reader = undefined;
    }
    return index;
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}
