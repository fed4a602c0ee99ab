/**
 * Memory samples of a soak run: the wasm linear memory of every peer (through the mini-program
 * runtime's `wasmMemoryBytes()`) and the Node heap after a full GC (`node --expose-gc`; without
 * it the heap figure is noisier).
 *
 * "Flat" is judged on the second half of the run: from the first sample at or after its middle
 * to the end, neither the total wasm memory nor the heap may grow by more than the given bound.
 */

const MiB = 1024 * 1024;

/** @param {number} bytes */
export function mib(bytes) {
  return `${(bytes / MiB).toFixed(2)} MiB`;
}

/** @param {{env: {wasmMemoryBytes: () => number}}[]} peers */
export function createMemorySampler(peers) {
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
  /** @type {{t: number, wasm: number, wasmMax: number, heap: number}[]} */
  const samples = [];

  return {
    samples,
    exactHeap: gc !== null,

    /** @param {number} t ms since the start of the run */
    sample(t) {
      gc?.();
      const perPeer = peers.map((peer) => peer.env.wasmMemoryBytes());
      const sample = {
        t,
        wasm: perPeer.reduce((a, b) => a + b, 0),
        wasmMax: Math.max(...perPeer),
        heap: process.memoryUsage().heapUsed,
      };
      samples.push(sample);
      return sample;
    },

    /**
     * Growth over the second half of [from, to].
     * @param {number} from
     * @param {number} to
     */
    secondHalfGrowth(from, to) {
      const middle = (from + to) / 2;
      const half = samples.filter((s) => s.t >= middle && s.t <= to);
      if (half.length < 2) return null;
      const [base] = half;
      return {
        samples: half.length,
        base,
        wasm: Math.max(...half.map((s) => s.wasm)) - base.wasm,
        heap: Math.max(...half.map((s) => s.heap)) - base.heap,
      };
    },
  };
}
