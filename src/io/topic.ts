/**
 * MQTT topic filters, shared by the MQTT connection pool and the in-process memory pub/sub.
 *
 * Semantics (MQTT 3.1.1 §4.7, MQTT 5 §4.7): levels are separated by `/`; `+` matches exactly one
 * level, `#` (last level only) matches the parent level and any number of levels below it; a
 * topic starting with `$` is not matched by a filter whose first level is a wildcard. Shared
 * subscriptions (`$share/<group>/<filter>`) match like their inner filter.
 *
 * @module
 */

const SHARE_PREFIX = "$share/";

/** The filter without a `$share/<group>/` prefix (the part that is matched against topics). */
export function effectiveFilter(filter: string): string {
  if (!filter.startsWith(SHARE_PREFIX)) return filter;
  const slash = filter.indexOf("/", SHARE_PREFIX.length);
  return slash < 0 ? "" : filter.slice(slash + 1);
}

/** Whether the filter has a wildcard level (so it cannot be matched by string equality). */
export function hasWildcard(filter: string): boolean {
  return filter.includes("+") || filter.includes("#");
}

/** Whether `topic` (a concrete topic name) matches `filter`. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = effectiveFilter(filter);
  if (!hasWildcard(f)) return f === topic;
  // Wildcards at the first level never match `$SYS/...`-style topics.
  if (topic.startsWith("$") && (f[0] === "+" || f[0] === "#")) return false;
  const fl = f.split("/");
  const tl = topic.split("/");
  for (let i = 0; i < fl.length; i++) {
    const level = fl[i];
    if (level === "#") return true; // also matches the parent: "a/#" matches "a"
    if (i >= tl.length) return false;
    if (level !== "+" && level !== tl[i]) return false;
  }
  return fl.length === tl.length;
}

/** Throws an Error naming the problem when `filter` is not a valid MQTT topic filter. */
export function validateTopicFilter(filter: string): void {
  if (typeof filter !== "string" || filter.length === 0) {
    throw new Error("topic filter must be a non-empty string");
  }
  if (filter.includes("\u0000")) {
    throw new Error(`topic filter "${filter}" contains a NUL character`);
  }
  if (new TextEncoder().encode(filter).length > 65535) {
    throw new Error("topic filter is longer than 65535 bytes");
  }
  let f = filter;
  if (filter.startsWith(SHARE_PREFIX)) {
    const rest = filter.slice(SHARE_PREFIX.length);
    const slash = rest.indexOf("/");
    const group = slash < 0 ? rest : rest.slice(0, slash);
    if (group === "" || group.includes("+") || group.includes("#")) {
      throw new Error(`shared subscription "${filter}" has an invalid group name`);
    }
    f = slash < 0 ? "" : rest.slice(slash + 1);
    if (f === "") throw new Error(`shared subscription "${filter}" has no topic filter`);
  }
  const levels = f.split("/");
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes("#") && (level !== "#" || i !== levels.length - 1)) {
      throw new Error(`topic filter "${filter}": '#' must be the whole last level`);
    }
    if (level.includes("+") && level !== "+") {
      throw new Error(`topic filter "${filter}": '+' must be a whole level`);
    }
  }
}

/** Throws when `topic` is not a valid topic name to publish to (no wildcards, non-empty). */
export function validateTopicName(topic: string): void {
  if (typeof topic !== "string" || topic.length === 0) {
    throw new Error("topic must be a non-empty string");
  }
  if (hasWildcard(topic)) throw new Error(`topic "${topic}" must not contain wildcards (+ or #)`);
  if (topic.includes("\u0000")) throw new Error(`topic "${topic}" contains a NUL character`);
}
