/** The `on()` / `off()` listeners of one `IMSDK` object, by event name. */
export function createListeners() {
  /** @type {Map<string, Set<Function>>} */
  const byEvent = new Map();
  return {
    /** @param {string} event @param {Function} listener */
    add(event, listener) {
      let set = byEvent.get(event);
      if (!set) {
        set = new Set();
        byEvent.set(event, set);
      }
      set.add(listener);
    },
    /** @param {string} event @param {Function} listener */
    remove(event, listener) {
      byEvent.get(event)?.delete(listener);
    },
    /** A copy of `event`'s listeners in order (`Array.from`: a spread costs Babel helpers). @param {string} event */
    of: (event) => Array.from(byEvent.get(event) ?? []),
    clear() {
      byEvent.clear();
    },
  };
}

/** @typedef {ReturnType<typeof createListeners>} Listeners */
