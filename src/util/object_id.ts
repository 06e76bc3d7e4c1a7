/**
 * A number naming an object for as long as it lives: keys made of compiled closures (two rules
 * alike hold the very same evaluators) without holding the closures.
 *
 * @module
 */
const ids = new WeakMap<object, number>();
let next = 0;

export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, id = ++next);
  return id;
}
