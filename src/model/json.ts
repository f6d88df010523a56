/**
 * `JSON.stringify(value)` (compact) as a run of chunks (the CLI's indented report has its own,
 * `report/json.ts`, shaped finding by finding), the same text once joined: arrays and plain
 * objects down to `depth` levels are written member by member, anything deeper as one chunk. A
 * result with 160,000 findings is more JSON than one JavaScript string can hold (about 512 MiB),
 * and it need never be one string: it is written a piece at a time.
 */
export function* stringifyInChunks(value: unknown, depth = 4): Generator<string> {
  const json = toJsonValue(value);
  if (depth <= 0 || json === null || typeof json !== 'object') {
    yield JSON.stringify(json) ?? 'null';
    return;
  }
  if (Array.isArray(json)) {
    yield '[';
    for (let i = 0; i < json.length; i++) {
      if (i > 0) yield ',';
      const item = toJsonValue(json[i]);
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* stringifyInChunks(item, depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const key of Object.keys(json)) {
    const item = toJsonValue((json as Record<string, unknown>)[key]);
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* stringifyInChunks(item, depth - 1);
  }
  yield '}';
}

/** What `JSON.stringify` serialises in a value's place: its `toJSON()`, or a boxed primitive's value. */
function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return (value as { toJSON(): unknown }).toJSON();
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return value.valueOf();
  return value;
}
