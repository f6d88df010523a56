/** Append to the list under `key`, creating it on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Append every item of `items` to `target`. Not `target.push(...items)`: a spread passes each item
 * as an argument on the stack, and a run's lists (80,000 findings of one Deployment, the objects of
 * a file of 200,000 documents) overflow it.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
