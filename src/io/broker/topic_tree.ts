/**
 * Subscription matching: a trie keyed by topic level, so that routing one PUBLISH costs
 * O(levels × wildcard branches) however many subscriptions there are.
 *
 * Each node holds the subscribers whose filter ends there, keyed by subscriber so that a
 * re-subscribe replaces its options in place. `+` and `#` are ordinary child keys; the walk
 * looks them up beside the literal level.
 *
 * @module
 */

const DOLLAR = 0x24; // "$"

class Node<K, V> {
  children: Map<string, Node<K, V>> | null = null;
  subs: Map<K, V> | null = null;
}

export class TopicTree<K, V> {
  #root = new Node<K, V>();
  #size = 0;

  /** Number of (filter, subscriber) pairs. */
  get size(): number {
    return this.#size;
  }

  /** Adds or replaces `key`'s subscription to `filter`. Returns true when it is new. */
  add(filter: string, key: K, value: V): boolean {
    let node = this.#root;
    for (const level of filter.split("/")) {
      node.children ??= new Map();
      let next = node.children.get(level);
      if (!next) {
        next = new Node();
        node.children.set(level, next);
      }
      node = next;
    }
    node.subs ??= new Map();
    const fresh = !node.subs.has(key);
    node.subs.set(key, value);
    if (fresh) this.#size++;
    return fresh;
  }

  /** Removes `key`'s subscription to `filter` and prunes emptied nodes. */
  remove(filter: string, key: K): boolean {
    const levels = filter.split("/");
    const path: Node<K, V>[] = [this.#root];
    let node = this.#root;
    for (const level of levels) {
      const next = node.children?.get(level);
      if (!next) return false;
      path.push(next);
      node = next;
    }
    if (!node.subs?.delete(key)) return false;
    this.#size--;
    if (node.subs.size === 0) node.subs = null;
    // Prune bottom-up so that churn of unique filters (client ids in topics) does not leak nodes.
    for (let i = levels.length; i > 0; i--) {
      const n = path[i];
      if (n.subs || n.children?.size) break;
      const parent = path[i - 1];
      parent.children!.delete(levels[i - 1]);
      if (parent.children!.size === 0) parent.children = null;
    }
    return true;
  }

  /**
   * Calls `visit` for every subscription whose filter matches `topic`. A subscriber with
   * overlapping filters is visited once per filter; the caller merges.
   */
  match(topic: string, visit: (key: K, value: V) => void): void {
    walk(this.#root, topic.split("/"), 0, topic.charCodeAt(0) === DOLLAR, visit);
  }
}

function walk<K, V>(
  node: Node<K, V>,
  levels: string[],
  i: number,
  dollar: boolean,
  visit: (key: K, value: V) => void,
): void {
  const kids = node.children;
  if (i === levels.length) {
    emit(node.subs, visit);
    // "a/#" also matches "a" itself (the parent level).
    const hash = kids?.get("#");
    if (hash) emit(hash.subs, visit);
    return;
  }
  if (!kids) return;
  // Topics starting with "$" are not matched by a leading wildcard.
  if (i > 0 || !dollar) {
    const hash = kids.get("#");
    if (hash) emit(hash.subs, visit);
    const plus = kids.get("+");
    if (plus) walk(plus, levels, i + 1, dollar, visit);
  }
  const exact = kids.get(levels[i]);
  if (exact) walk(exact, levels, i + 1, dollar, visit);
}

function emit<K, V>(subs: Map<K, V> | null, visit: (key: K, value: V) => void): void {
  if (subs) { for (const [k, v] of subs) visit(k, v); }
}

/** A valid topic filter: non-empty, `+` alone in its level, `#` alone and last, no NUL. */
export function validFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes("\0")) return false;
  const levels = filter.split("/");
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (l === "+" || (l === "#" && i === levels.length - 1)) continue;
    if (l.includes("+") || l.includes("#")) return false;
  }
  return true;
}

/** A valid topic name for PUBLISH: non-empty, no wildcards, no NUL. */
export function validTopic(topic: string): boolean {
  return topic.length > 0 && !/[+#\0]/.test(topic);
}

/** Whether one filter matches one topic (same rules as the tree; for one-off checks). */
export function matches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  if (topic.charCodeAt(0) === DOLLAR && (f[0] === "+" || f[0] === "#")) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
