interface Node<V> {
  id: number;
  next: Map<number, Node<V>>;
  fail: Node<V> | undefined;
  /** values of the needles that end here, and (after building) of those ending at its fail links */
  hits: V[];
}

/** Transition tables larger than this (states x distinct needle characters) are not built. */
const MAX_TABLE = 1 << 22;

/**
 * Finds which of many needles occur in a text in one pass (Aho-Corasick), so `contains` rules are tested
 * only when their needle is there. It walks UTF-16 code units, as `String.prototype.includes` does, so it
 * finds exactly what `includes` finds. Each needle carries a value; `collect` reports the value of every
 * occurrence (a needle found twice is reported twice). The automaton is a dense table over the characters
 * the needles use (any other character leads back to the start), so a step is two array reads.
 * Example: `new SubstringMatcher([['shoe', 1], ['sale', 2]]).collect('/sale/shoes', (v) => seen.add(v))`
 * -> `seen` is `{2, 1}`.
 */
export class SubstringMatcher<V> {
  private readonly root: Node<V> = { id: 0, next: new Map(), fail: undefined, hits: [] };
  /** symbol of each ASCII code unit (0: used by no needle) */
  private readonly ascii = new Int32Array(128);
  private readonly symbols = new Map<number, number>();
  private readonly width: number;
  /** `table[state * width + symbol]` -> next state; undefined when it would exceed `maxTable` */
  private readonly table: Int32Array | undefined;
  /** hits by state, `undefined` when none */
  private readonly hitsOf: (V[] | undefined)[] = [];

  constructor(needles: Iterable<readonly [string, V]>, maxTable = MAX_TABLE) {
    const nodes: Node<V>[] = [this.root];
    for (const [needle, value] of needles) {
      if (needle === '') continue;
      let node = this.root;
      for (let i = 0; i < needle.length; i++) {
        const ch = needle.charCodeAt(i);
        if (!this.symbols.has(ch)) this.symbols.set(ch, this.symbols.size + 1);
        let child = node.next.get(ch);
        if (child === undefined) {
          child = { id: nodes.length, next: new Map(), fail: undefined, hits: [] };
          nodes.push(child);
          node.next.set(ch, child);
        }
        node = child;
      }
      node.hits.push(value);
    }
    for (const [ch, symbol] of this.symbols) if (ch < 128) this.ascii[ch] = symbol;
    const queue = this.linkFailures();
    this.width = this.symbols.size + 1;
    for (const node of nodes) this.hitsOf[node.id] = node.hits.length > 0 ? node.hits : undefined;
    this.table = nodes.length * this.width <= maxTable ? this.buildTable(queue) : undefined;
  }

  /** Breadth first, so a node's fail link is complete (its hits included) before the node's. */
  private linkFailures(): Node<V>[] {
    const queue: Node<V>[] = [this.root];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i]!;
      if (node.fail !== undefined && node.fail !== this.root) node.hits.push(...node.fail.hits);
      for (const [ch, child] of node.next) {
        let fail = node === this.root ? undefined : node.fail;
        while (fail !== undefined && !fail.next.has(ch)) fail = fail.fail;
        child.fail = fail?.next.get(ch) ?? this.root;
        queue.push(child);
      }
    }
    return queue;
  }

  /** Every state's move on every symbol, following fail links once here instead of at each step. */
  private buildTable(byDepth: readonly Node<V>[]): Int32Array {
    const table = new Int32Array(byDepth.length * this.width);
    for (const node of byDepth) {
      const row = node.id * this.width;
      const failRow = (node.fail ?? this.root).id * this.width;
      for (let symbol = 1; symbol < this.width; symbol++)
        table[row + symbol] = node === this.root ? 0 : table[failRow + symbol]!;
      for (const [ch, child] of node.next) table[row + this.symbols.get(ch)!] = child.id;
    }
    return table;
  }

  /** Calls `visit` with the value of every needle occurrence in `text`. */
  collect(text: string, visit: (value: V) => void): void {
    const table = this.table;
    if (table === undefined) {
      this.walk(text, visit);
      return;
    }
    const width = this.width;
    const ascii = this.ascii;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      const symbol = ch < 128 ? ascii[ch]! : (this.symbols.get(ch) ?? 0);
      state = table[state * width + symbol]!;
      const hits = this.hitsOf[state];
      if (hits !== undefined) for (let h = 0; h < hits.length; h++) visit(hits[h]!);
    }
  }

  /** The same walk through the trie and its fail links, for automata too large for a table. */
  private walk(text: string, visit: (value: V) => void): void {
    const root = this.root;
    let node = root;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let child = node.next.get(ch);
      while (child === undefined && node !== root) {
        node = node.fail ?? root;
        child = node.next.get(ch);
      }
      node = child ?? root;
      const hits = node.hits;
      for (let h = 0; h < hits.length; h++) visit(hits[h]!);
    }
  }

  /** The values of the needles found in `text`, each once. */
  find(text: string): Set<V> {
    const found = new Set<V>();
    this.collect(text, (v) => found.add(v));
    return found;
  }
}
