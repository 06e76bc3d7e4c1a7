/**
 * Retained messages, one per topic, in a trie by topic level so that a wildcard SUBSCRIBE
 * walks only the branches its filter can reach instead of testing every retained topic.
 *
 * @module
 */

const DOLLAR = 0x24; // "$"

class Node<T> {
  children: Map<string, Node<T>> | null = null;
  value: T | undefined = undefined;
}

export class RetainedStore<T> {
  #root = new Node<T>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  set(topic: string, value: T): void {
    let node = this.#root;
    for (const level of topic.split("/")) {
      node.children ??= new Map();
      let next = node.children.get(level);
      if (!next) {
        next = new Node();
        node.children.set(level, next);
      }
      node = next;
    }
    if (node.value === undefined) this.#size++;
    node.value = value;
  }

  get(topic: string): T | undefined {
    let node: Node<T> | undefined = this.#root;
    for (const level of topic.split("/")) {
      node = node.children?.get(level);
      if (!node) return undefined;
    }
    return node.value;
  }

  delete(topic: string): boolean {
    const levels = topic.split("/");
    const path: Node<T>[] = [this.#root];
    for (const level of levels) {
      const next = path[path.length - 1].children?.get(level);
      if (!next) return false;
      path.push(next);
    }
    const leaf = path[levels.length];
    if (leaf.value === undefined) return false;
    leaf.value = undefined;
    this.#size--;
    for (let i = levels.length; i > 0; i--) {
      const n = path[i];
      if (n.value !== undefined || n.children?.size) break;
      const parent = path[i - 1];
      parent.children!.delete(levels[i - 1]);
      if (parent.children!.size === 0) parent.children = null;
    }
    return true;
  }

  /** Calls `visit(topic, value)` for each retained message matching the (valid) filter. */
  match(filter: string, visit: (topic: string, value: T) => void): void {
    collect(this.#root, filter.split("/"), 0, "", visit);
  }
}

function collect<T>(
  node: Node<T>,
  f: string[],
  i: number,
  prefix: string,
  visit: (topic: string, value: T) => void,
): void {
  if (i === f.length) {
    if (node.value !== undefined) visit(prefix, node.value);
    return;
  }
  const level = f[i];
  if (level === "#") {
    // "a/#" includes "a" itself; a leading "#" never reaches "$" topics.
    if (i > 0 && node.value !== undefined) visit(prefix, node.value);
    everything(node, prefix, i === 0, visit);
    return;
  }
  if (!node.children) return;
  if (level === "+") {
    for (const [name, child] of node.children) {
      if (i === 0 && name.charCodeAt(0) === DOLLAR) continue;
      collect(child, f, i + 1, join(prefix, name, i), visit);
    }
    return;
  }
  const child = node.children.get(level);
  if (child) collect(child, f, i + 1, join(prefix, level, i), visit);
}

/** Visits every value strictly below `node`. */
function everything<T>(
  node: Node<T>,
  prefix: string,
  root: boolean,
  visit: (topic: string, value: T) => void,
): void {
  if (!node.children) return;
  for (const [name, child] of node.children) {
    if (root && name.charCodeAt(0) === DOLLAR) continue;
    const topic = root ? name : `${prefix}/${name}`;
    if (child.value !== undefined) visit(topic, child.value);
    everything(child, topic, false, visit);
  }
}

function join(prefix: string, name: string, i: number): string {
  return i === 0 ? name : `${prefix}/${name}`;
}
