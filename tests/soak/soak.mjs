#!/usr/bin/env node
/**
 * `npm run soak` (`-- --quick` for CI): SDK instances in mini-program runtimes exchange QoS
 * messages through the devserver in chaos mode, with one devserver crash and restart on the same
 * port half-way, and the run checks what an IM SDK must never do:
 *
 *  * deliver a message to an app twice;
 *  * leave a sent fp without a terminal callback, or give it two (received and/or lost);
 *  * hold more than one socket per instance;
 *  * trap the wasm instance or throw out of a runtime callback;
 *  * grow memory (wasm linear memory of every instance, Node heap after GC) in the second half;
 *  * leave a timer, listener or socket behind after `destroy()`.
 *
 * Chaos (devserver/README.md): 5 % of the frames the server writes dropped, 2 % duplicated, each
 * delayed 0–300 ms (in order: the delays of one connection add up, so one connection carries
 * about 6 frames/s; the load is spread over several instances), every connection cut without a
 * close frame after 2.5–7.5 s. The chaos streams are seeded (`--seed`); timing is real, so two
 * runs are alike, not identical.
 *
 * The last line is `soak: sent=N received=R lost=L duplicates=D unaccounted=U` (received and
 * lost as the senders were told); the exit code is 1 if anything above happened.
 *
 * Options: --quick, --messages N, --peers N, --rate MSG_PER_S, --seed S, --max-pending N,
 * --sdk DIR (another mini-program build than miniprogram_dist/).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { miniProgramDist, requireBuilt } from '../js/support/builds.mjs';
import { startDevServer } from '../js/support/devserver.mjs';
import { createLedger } from './ledger.mjs';
import { createMemorySampler, mib } from './memory.mjs';
import { openPeer } from './peer.mjs';

const PROFILES = {
  full: { messages: 10_000, peers: 8, rate: 16, sampleMs: 10_000, progressMs: 60_000, settleMs: 12_000 },
  quick: { messages: 1_000, peers: 8, rate: 16, sampleMs: 5_000, progressMs: 20_000, settleMs: 6_000 },
};
/** Unterminated messages one sender may have before it waits (the core allows 10 000). */
const DEFAULT_MAX_PENDING = 200;
/** The SDK reports loss within ~15 s online or 30 s offline (+ resends); this is the ceiling. */
const DRAIN_TIMEOUT_MS = 90_000;
const LOGIN_TIMEOUT_MS = 60_000;
/** How long the devserver stays down at the restart. */
const RESTART_DOWN_MS = 1_000;
const TICK_MS = 50;
/**
 * Bounds for "memory flat" over the second half of the run. Wasm (all instances together): the
 * receive de-dup cache remembers fps for 10 minutes (bounded at 10 000), so during a run it only
 * fills; 1 MiB is 128 KiB (two pages) per instance on average. Node heap after GC: includes the
 * soak's own book, about 250 bytes per message (≈ 1.2 MiB for the second half of 10 000).
 */
const WASM_GROWTH_BOUND = 1024 * 1024;
const HEAP_GROWTH_BOUND = 4 * 1024 * 1024;

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    messages: { type: 'string' },
    peers: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string', default: '7' },
    'max-pending': { type: 'string' },
    sdk: { type: 'string', default: miniProgramDist },
  },
});
const profile = PROFILES[options.quick ? 'quick' : 'full'];
const config = {
  ...profile,
  messages: Number(options.messages ?? profile.messages),
  peers: Number(options.peers ?? profile.peers),
  rate: Number(options.rate ?? profile.rate),
  seed: Number(options.seed),
  maxPending: Number(options['max-pending'] ?? DEFAULT_MAX_PENDING),
};
if (!(config.peers >= 2 && config.messages >= 1 && config.rate > 0 && Number.isInteger(config.seed))) {
  console.error('soak: --peers must be ≥ 2, --messages ≥ 1, --rate > 0, --seed an integer');
  process.exit(2);
}

const CHAOS = `seed=${config.seed},drop=0.05,dup=0.02,delay=0-300,cut=5000`;
const startedAt = Date.now();
const elapsed = () => Date.now() - startedAt;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (text) => console.log(`soak: ${text}`);

requireBuilt(options.sdk);
log(
  `${config.messages} QoS messages, ${config.peers} mini-program instances, ${config.rate} msg/s, ` +
    `chaos ${CHAOS}, devserver restart half-way${globalThis.gc ? '' : ' (no --expose-gc: heap figures are noisy)'}`,
);

let server = await startDevServer(['--chaos', CHAOS]);
const { port } = server;
const ledger = createLedger();
const peers = Array.from({ length: config.peers }, (_, index) =>
  openPeer({ index, uid: `soak-${index}`, ledger, sdkDir: options.sdk }),
);
const memory = createMemorySampler(peers);
let exitCode = 0;
/** When the devserver was killed (ms epoch). */
let restartedAt = 0;

try {
  await run();
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await server.stop();
}
// Exit once the output is flushed (piped stdout is asynchronous); nothing else should be left
// running, but a stray handle must not keep the process alive.
process.exitCode = exitCode;
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));

async function run() {
  for (const peer of peers) {
    const code = peer.login(server.url);
    if (code !== 0) throw new Error(`peer ${peer.index}: loginImpl returned ${code}`);
  }
  await until(() => peers.every((peer) => peer.stats.logins > 0), LOGIN_TIMEOUT_MS, 'every peer logged in');
  log(`all ${config.peers} peers online after ${seconds(elapsed())}`);

  const runStart = elapsed();
  memory.sample(runStart);
  let nextSample = runStart + config.sampleMs;
  let nextProgress = runStart + config.progressMs;
  let restart = null;
  let sendEnd = null;
  let sentTotal = 0;
  let turn = 0;

  // Sending: a steady stream at `rate`, round-robin over the peers, each to every other peer
  // in turn; a peer with `maxPending` unterminated messages waits for its outcomes.
  while (sentTotal < config.messages) {
    const due = Math.min(config.messages, Math.floor(((elapsed() - runStart) / 1000) * config.rate));
    let blocked = 0;
    while (sentTotal < due && blocked < config.peers) {
      const sender = peers[turn % config.peers];
      turn += 1;
      if (ledger.pendingOf(sender.index) >= config.maxPending) {
        blocked += 1;
        continue;
      }
      blocked = 0;
      const hop = 1 + (Math.floor(turn / config.peers) % (config.peers - 1));
      sender.sendTo(peers[(sender.index + hop) % config.peers]);
      sentTotal += 1;
    }
    // Runs beside the sending; a failure is rethrown below, not left unhandled (which would end
    // the process at once and leave the devserver running).
    if (!restart && sentTotal >= config.messages / 2) {
      restart = restartServer().then(
        () => null,
        (error) => error,
      );
    }
    ({ nextSample, nextProgress } = tick(nextSample, nextProgress, 'sending'));
    await sleep(TICK_MS);
  }
  sendEnd = elapsed();
  const restartError = await restart;
  if (restartError) throw restartError;
  log(`all ${sentTotal} sent after ${seconds(sendEnd - runStart)}; waiting for every outcome`);

  const drained = await until(
    () => ledger.pending() === 0,
    DRAIN_TIMEOUT_MS,
    'every message has an outcome',
    () => {
      ({ nextSample, nextProgress } = tick(nextSample, nextProgress, 'draining'));
    },
  ).then(
    () => true,
    () => false,
  );
  const drainEnd = elapsed();
  // Late deliveries (the server's own resend comes up to ~10 s later) still count.
  await sleep(config.settleMs);
  const runEnd = elapsed();
  memory.sample(runEnd);

  await report({ runStart, sendEnd, drainEnd, runEnd, drained });
}

/** Crashes the devserver (SIGKILL) and starts it again on the same port. */
async function restartServer() {
  restartedAt = Date.now();
  log(`devserver crash (SIGKILL) and restart on port ${port} at ${seconds(elapsed())}, ${ledger.size()} sent`);
  await server.stop('SIGKILL');
  await sleep(RESTART_DOWN_MS);
  server = await startDevServer(['--chaos', CHAOS], { port });
  log(`devserver is back at ${seconds(elapsed())}`);
}

/** Samples memory and prints progress when due. */
function tick(nextSample, nextProgress, phase) {
  const now = elapsed();
  if (now >= nextSample) {
    memory.sample(now);
    nextSample += config.sampleMs;
  }
  if (now >= nextProgress) {
    const s = ledger.summary();
    const last = memory.samples.at(-1);
    log(
      `${phase} ${seconds(now)}: sent=${s.sent} received=${s.received} lost=${s.lost} ` +
        `pending=${ledger.pending()} delivered=${s.delivered} wasm=${mib(last.wasm)} heap=${mib(last.heap)}`,
    );
    nextProgress += config.progressMs;
  }
  return { nextSample, nextProgress };
}

/** Resolves when `predicate` holds, rejects after `timeout` ms; runs `each` every tick. */
async function until(predicate, timeout, what, each = () => {}) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting until ${what}`);
    each();
    await sleep(TICK_MS);
  }
}

async function report({ runStart, sendEnd, drainEnd, runEnd, drained }) {
  const s = ledger.summary();
  const failures = [...ledger.violations];
  const check = (ok, text) => {
    if (!ok) failures.push(text);
  };

  check(s.sent >= config.messages, `only ${s.sent} of ${config.messages} messages were accepted`);
  check(s.duplicates === 0, `${s.duplicates} duplicate deliveries`);
  check(
    s.unaccounted === 0,
    `${s.unaccounted} messages without a terminal callback: ${ledger.unaccountedFps().join(', ')}`,
  );
  check(s.doubleTerminal === 0, `${s.doubleTerminal} messages with two terminal callbacks`);
  check(Object.keys(s.refused).length === 0, `sendData refused messages: ${JSON.stringify(s.refused)}`);
  check(drained, 'not every message had an outcome within the drain timeout');
  check(
    s.arrivedButNotDelivered === 0,
    `${s.arrivedButNotDelivered} messages reached the receiver's socket but not its app`,
  );

  for (const peer of peers) {
    const { env, index } = peer;
    check(env.peakSocketsInUse() <= 1, `peer ${index} held ${env.peakSocketsInUse()} sockets at once`);
    check(env.traps().length === 0, `peer ${index}: the wasm instance trapped: ${env.traps()[0]}`);
    check(
      env.uncaughtErrors.length === 0,
      `peer ${index}: uncaught error: ${env.uncaughtErrors[0]?.stack ?? env.uncaughtErrors[0]}`,
    );
  }

  const growth = memory.secondHalfGrowth(runStart, runEnd);
  check(growth !== null, 'too few memory samples to judge the second half');
  if (growth) {
    check(
      growth.wasm <= WASM_GROWTH_BOUND,
      `wasm memory grew by ${mib(growth.wasm)} in the second half (bound ${mib(WASM_GROWTH_BOUND)})`,
    );
    check(
      growth.heap <= HEAP_GROWTH_BOUND,
      `Node heap grew by ${mib(growth.heap)} in the second half (bound ${mib(HEAP_GROWTH_BOUND)})`,
    );
  }

  const totals = { logins: 0, reconnects: 0, disconnects: 0, loginFailures: 0, kickouts: 0, warn: 0, error: 0 };
  for (const { stats } of peers) {
    for (const key of ['logins', 'reconnects', 'disconnects', 'loginFailures', 'kickouts']) totals[key] += stats[key];
    totals.warn += stats.logLevels.warn;
    totals.error += stats.logLevels.error;
  }
  const peakSockets = Math.max(...peers.map((peer) => peer.env.peakSocketsInUse()));

  const leftovers = [];
  for (const peer of peers) {
    const left = await peer.close();
    if (left.timers || left.listeners || left.sockets) leftovers.push(`peer ${peer.index}: ${JSON.stringify(left)}`);
  }
  check(leftovers.length === 0, `destroy() left things behind: ${leftovers.join('; ')}`);

  const samples = memory.samples;
  log(
    `timing: sending ${seconds(sendEnd - runStart)}, draining ${seconds(drainEnd - sendEnd)}, ` +
      `settle ${seconds(runEnd - drainEnd)}, wall ${seconds(elapsed())}`,
  );
  log(
    `connections: ${totals.reconnects} reconnects, ${totals.disconnects} disconnects, ` +
      `${totals.loginFailures} failed first logins, ${totals.kickouts} kick-outs, peak sockets in use per instance ${peakSockets}; ` +
      `log lines: ${totals.warn} warn, ${totals.error} error`,
  );
  log(
    `outcomes: delivered=${s.delivered} delivered-but-reported-lost=${s.deliveredButReportedLost} ` +
      `acked-but-not-delivered=${s.ackedButNotDelivered} lost-and-not-delivered=${s.lostAndNotDelivered} ` +
      `never-reached-the-receiver=${s.neverArrived} reached-but-not-delivered=${s.arrivedButNotDelivered} ` +
      `double-terminal=${s.doubleTerminal}`,
  );
  // Why acknowledged messages never reached their receiver: the server acks as soon as it has
  // queued the frame (docs/protocol.md §6.3) and resends it once 2–7 s later to the receiver's
  // session of that moment, so a frame lost to chaos stays lost if the receiver is offline then.
  const pseudo = { total: 0, restart: 0, receiverOffline: 0, other: 0 };
  for (const entry of ledger.ackedNeverArrived()) {
    pseudo.total += 1;
    if (Math.abs(entry.ackedAt - restartedAt) <= 10_000) pseudo.restart += 1;
    else if (peers[entry.receiver].offlineDuring(entry.ackedAt - 1000, entry.ackedAt + 8000, 1000)) {
      pseudo.receiverOffline += 1;
    } else pseudo.other += 1;
  }
  const outages = peers.flatMap((peer) => peer.outages.map(([start, end]) => end - start));
  const longOutages = outages.filter((ms) => ms >= 1000);
  log(
    `acked but never reached the receiver: ${pseudo.total} (within 10 s of the restart ${pseudo.restart}, ` +
      `receiver offline ≥ 1 s around the ack ${pseudo.receiverOffline}, otherwise ${pseudo.other}); ` +
      `outages: ${outages.length} (< 1 s ${outages.length - longOutages.length}, ` +
      `1–5 s ${longOutages.filter((ms) => ms < 5000).length}, 5–15 s ${longOutages.filter((ms) => ms >= 5000 && ms < 15_000).length}, ` +
      `≥ 15 s ${longOutages.filter((ms) => ms >= 15_000).length}), offline ${seconds(outages.reduce((a, b) => a + b, 0))} in all`,
  );
  log(
    `memory (${samples.length} samples${memory.exactHeap ? ', heap after GC' : ''}): ` +
      `wasm total ${mib(samples[0].wasm)} → ${mib(samples.at(-1).wasm)} (largest instance ${mib(samples.at(-1).wasmMax)}), ` +
      `heap ${mib(samples[0].heap)} → ${mib(samples.at(-1).heap)}` +
      (growth ? `; second-half growth: wasm ${mib(growth.wasm)}, heap ${mib(growth.heap)}` : ''),
  );
  if (process.env.SOAK_SAMPLES) {
    for (const sample of samples) log(`sample t=${seconds(sample.t)} wasm=${sample.wasm} heap=${sample.heap}`);
  }
  if (failures.length > 0) {
    exitCode = 1;
    for (const failure of failures) console.error(`soak: FAIL ${failure}`);
    for (const peer of peers) {
      if (peer.stats.kickouts || peer.env.uncaughtErrors.length) {
        console.error(`soak: last log lines of peer ${peer.index}:\n  ${peer.recentLines.join('\n  ')}`);
      }
    }
  } else {
    log(
      'PASS: no duplicate delivery, one terminal callback per message, one socket per instance, no trap, memory flat',
    );
  }
  log(`sent=${s.sent} received=${s.received} lost=${s.lost} duplicates=${s.duplicates} unaccounted=${s.unaccounted}`);
}
