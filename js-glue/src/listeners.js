/**
 * The `on()` / `off()` listeners of one `IMSDK` object, by event name.
 */

/**
 * A copy of a collection's members, to iterate while they may change (no spread: for it,
 * WeChat's ES6→ES5 compile adds Babel helpers).
 * @template T
 * @param {Set<T> | Map<T, unknown> | undefined} collection a set, or a map's keys
 * @returns {T[]}
 */
export function snapshot(collection) {
  /** @type {T[]} */
  const items = [];
  collection?.forEach((value, key) => {
    items.push(/** @type {T} */ (collection instanceof Map ? key : value));
  });
  return items;
}

/** An empty registry of listeners. */
export function createListeners() {
  /** @type {Map<string, Set<Function>>} */
  const byEvent = new Map();
  return {
    /**
     * @param {string} event
     * @param {Function} listener
     */
    add(event, listener) {
      let set = byEvent.get(event);
      if (!set) {
        set = new Set();
        byEvent.set(event, set);
      }
      set.add(listener);
    },

    /**
     * @param {string} event
     * @param {Function} listener
     */
    remove(event, listener) {
      byEvent.get(event)?.delete(listener);
    },

    /**
     * The listeners of `event` now, in the order they were added.
     * @param {string} event
     */
    of: (event) => snapshot(byEvent.get(event)),

    clear() {
      byEvent.clear();
    },
  };
}

/** @typedef {ReturnType<typeof createListeners>} Listeners */
