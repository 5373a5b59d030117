interface Node {
  next: Map<string, Node>;
  fail: Node | undefined;
  /** needles that end here (through fail links too, collected when searching) */
  out: string[];
}

/**
 * Finds which of many needles occur in a text in one pass (Aho-Corasick), so `contains` rules are tested
 * only when their needle is there. It walks UTF-16 code units, as `String.prototype.includes` does, so it
 * finds exactly what `includes` finds. Example: `new SubstringMatcher(['shoe', 'sale']).find('/sale/shoes')`
 * -> `Set { 'sale', 'shoe' }`.
 */
export class SubstringMatcher {
  private readonly root: Node = { next: new Map(), fail: undefined, out: [] };

  constructor(needles: Iterable<string>) {
    for (const needle of needles) {
      if (needle === '') continue;
      let node = this.root;
      for (let i = 0; i < needle.length; i++) {
        const ch = needle[i]!;
        let child = node.next.get(ch);
        if (child === undefined) {
          child = { next: new Map(), fail: undefined, out: [] };
          node.next.set(ch, child);
        }
        node = child;
      }
      if (!node.out.includes(needle)) node.out.push(needle);
    }
    const queue: Node[] = [];
    for (const child of this.root.next.values()) {
      child.fail = this.root;
      queue.push(child);
    }
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i]!;
      for (const [ch, child] of node.next) {
        let fail = node.fail;
        while (fail !== undefined && !fail.next.has(ch)) fail = fail.fail;
        child.fail = fail?.next.get(ch) ?? this.root;
        queue.push(child);
      }
    }
  }

  /** The needles found in `text`, each once. */
  find(text: string): Set<string> {
    const found = new Set<string>();
    let node = this.root;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      while (node !== this.root && !node.next.has(ch)) node = node.fail ?? this.root;
      node = node.next.get(ch) ?? this.root;
      for (let n: Node | undefined = node; n !== undefined && n !== this.root; n = n.fail) {
        for (const needle of n.out) found.add(needle);
      }
    }
    return found;
  }
}
