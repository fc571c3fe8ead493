#!/usr/bin/env node
// Phones for Facilitate's benchmarks, on the socket.io-client the phone page runs.
//
//   node loadgen.js '{"scenario": "broadcast", "url": "http://127.0.0.1:5000", ...}'
//
// The one argument is a JSON object (or @path of a file holding one). Progress goes to stderr as
// JSON lines ({"phase": ...}) so the runner can read the server's /proc at the right moments; the
// result is one JSON object on stdout. Every phone is its own connection (forceNew), as on a real
// phone. Latency is measured on one clock: from the emit of `note:add` to the arrival of
// `note:added` at each phone.
"use strict";

const { io } = require("socket.io-client");
const { performance } = require("node:perf_hooks");
const { randomUUID } = require("node:crypto");
const fs = require("node:fs");

const NS = "/live";

function readConfig() {
  const raw = process.argv[2] || "{}";
  return JSON.parse(raw.startsWith("@") ? fs.readFileSync(raw.slice(1), "utf8") : raw);
}

function phase(name, extra) {
  process.stderr.write(JSON.stringify({ phase: name, t: performance.now(), ...extra }) + "\n");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted, p) {
  if (!sorted.length) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function summary(values) {
  const sorted = Float64Array.from(values).sort();
  const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

// ---- one phone -------------------------------------------------------------------------------

class Phone {
  constructor(config, theme, index, url) {
    this.config = config;
    this.url = url || config.url;
    this.theme = theme; // {code, ...}
    this.index = index;
    this.token = null;
    this.seq = 0;
    this.seen = new Set(); // client_ids delivered to this phone
    this.duplicates = 0;
    this.outOfOrder = 0;
    this.presence = 0;
    this.welcomes = 0;
    this.socket = null;
    this.onNote = null; // (phone, message, now) => void
  }

  connect(timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const socket = io(this.url + NS, {
        forceNew: true,
        reconnection: false,
        // As the phone page (static/js/phone.js): the websocket first, long-polling when it fails.
        transports: this.config.transports || ["websocket", "polling"],
        tryAllTransports: true,
        perMessageDeflate: this.config.compress === false ? false : { threshold: 1024, concurrencyLimit: 100000 },
        timeout: timeoutMs,
        auth: { code: this.theme.code, token: this.token, name: null },
      });
      this.socket = socket;
      const timer = setTimeout(() => reject(new Error("no welcome in time")), timeoutMs);
      socket.on("welcome", (welcome) => {
        this.welcomes += 1;
        if (welcome.participant) this.token = welcome.participant.token;
        this.seq = Math.max(this.seq, welcome.seq || 0);
        clearTimeout(timer);
        resolve(performance.now());
      });
      socket.on("connect_error", (error) => {
        clearTimeout(timer);
        reject(new Error(`connect_error: ${error.message}`));
      });
      socket.on("presence", () => {
        this.presence += 1;
      });
      socket.on("note:added", (message) => {
        const now = performance.now();
        const note = message.note;
        const first = !this.seen.has(note.client_id);
        if (first) this.seen.add(note.client_id);
        else this.duplicates += 1;
        if (message.seq < this.seq) this.outOfOrder += 1;
        this.seq = Math.max(this.seq, message.seq);
        if (this.onNote) this.onNote(this, message, now, first);
      });
    });
  }

  call(event, payload, timeoutMs = 15000) {
    return new Promise((resolve) => {
      this.socket.timeout(timeoutMs).emit(event, payload, (error, answer) => {
        resolve(error ? { ok: false, error: { code: "timeout" } } : answer);
      });
    });
  }

  disconnect() {
    if (this.socket) this.socket.disconnect();
  }
}

async function connectAll(phones, concurrency) {
  // Join in waves, as a room fills over a minute; the connect storm scenario does it all at once.
  const started = performance.now();
  let next = 0;
  const failures = [];
  async function worker() {
    while (next < phones.length) {
      const phone = phones[next++];
      try {
        await phone.connect();
      } catch (error) {
        failures.push(error.message);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, phones.length) }, worker));
  return { seconds: (performance.now() - started) / 1000, failures };
}

function makePhones(config) {
  // With several servers (config.urls), phones alternate between them, as a proxy would spread them.
  const urls = config.urls || [config.url];
  const phones = [];
  for (const theme of config.themes) {
    theme.phones_list = [];
    for (let i = 0; i < theme.phones; i++) {
      const phone = new Phone(config, theme, i, urls[phones.length % urls.length]);
      theme.phones_list.push(phone);
      phones.push(phone);
    }
  }
  return phones;
}

// ---- broadcast: N phones, M notes at R per second, every note to every phone in its theme -------

async function broadcast(config) {
  const phones = makePhones(config);
  const sent = new Map(); // client_id -> {t, theme, normal, recipients}
  const latencies = [];
  let received = 0;
  // A note is known to be stored once it is acknowledged or once any phone receives it (an
  // acknowledgement may time out after the note was stored): every phone of the theme must get it.
  const stored = new Map(); // client_id -> seq
  const seqsByTheme = new Map();
  let expected = 0;
  const markStored = (clientId, record, seq) => {
    if (stored.has(clientId)) return;
    stored.set(clientId, seq);
    if (!seqsByTheme.has(record.theme)) seqsByTheme.set(record.theme, []);
    seqsByTheme.get(record.theme).push(seq);
    if (record.normal) expected += record.recipients;
  };
  const onNote = (_phone, message, now, first) => {
    const record = sent.get(message.note.client_id);
    if (!record) return;
    markStored(message.note.client_id, record, message.seq);
    if (record.normal && first) {
      latencies.push(now - record.t);
      received += 1;
    }
  };
  phones.forEach((phone) => {
    phone.onNote = onNote;
  });
  const connected = await connectAll(phones, config.connect_concurrency || 25);
  phase("connected", { seconds: connected.seconds, failures: connected.failures.length });
  if (connected.failures.length) {
    return { scenario: "broadcast", error: "connect failures", failures: connected.failures.slice(0, 5) };
  }
  await sleep(config.settle_ms ?? 1500); // presence and welcomes settle before the clock starts

  const acks = { ok: 0, refused: {}, latencies: [] };
  const pending = [];
  const post = (theme, phone, normal) => {
    const clientId = randomUUID();
    const recipients = theme.phones_list.length + (theme.extra || 0);
    const record = { t: performance.now(), theme: theme.code, normal, recipients };
    sent.set(clientId, record);
    return phone
      .call("note:add", { client_id: clientId, text: `Benchmark note ${sent.size} from phone ${phone.index}`, kind: "idea" })
      .then((answer) => {
        if (answer && answer.ok) {
          if (normal) {
            acks.ok += 1;
            acks.latencies.push(performance.now() - record.t);
          }
          markStored(clientId, record, answer.note.seq);
        } else {
          const code = (answer && answer.error && answer.error.code) || "no answer";
          const key = normal ? code : `flood:${code}`;
          acks.refused[key] = (acks.refused[key] || 0) + 1;
        }
        return answer;
      });
  };

  // One flooding phone, when asked: as fast as acknowledgements come back, a window in flight.
  let flooding = false;
  const flood = { sent: 0, ok: 0 };
  let floodDone = Promise.resolve();
  if (config.flood) {
    const theme = config.themes[0];
    const flooder = new Phone(config, theme, "flood");
    await flooder.connect();
    theme.extra = 1; // the flooder receives the others' notes too
    flooder.onNote = onNote;
    flooding = true;
    const lane = async () => {
      while (flooding) {
        flood.sent += 1;
        const answer = await post(theme, flooder, false);
        if (answer && answer.ok) flood.ok += 1;
      }
    };
    floodDone = Promise.all(Array.from({ length: config.flood.window || 32 }, lane));
    config._flooder = flooder;
    await sleep(500);
  }

  phase("posting");
  const started = performance.now();
  const interval = 1000 / config.rate;
  const cursor = new Map();
  for (let i = 0; i < config.notes; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const theme = config.themes[i % config.themes.length];
    const at = cursor.get(theme.code) || 0;
    cursor.set(theme.code, at + 1);
    const phone = theme.phones_list[(at * 7919) % theme.phones_list.length];
    pending.push(post(theme, phone, true));
    if (config.progress_every && i % config.progress_every === 0) {
      phase("progress", { notes: i, received, acked: acks.ok });
    }
  }
  const postingSeconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  flooding = false;
  await floodDone;
  phase("posted", { seconds: postingSeconds });
  const drainUntil = performance.now() + (config.drain_ms ?? 10000);
  while (received < expected && performance.now() < drainUntil) await sleep(20);
  phase("drained", { received, expected });

  let gaps = 0;
  for (const seqs of seqsByTheme.values()) {
    seqs.sort((a, b) => a - b);
    gaps += seqs[seqs.length - 1] - seqs[0] + 1 - seqs.length;
  }
  const everyone = config._flooder ? [...phones, config._flooder] : phones;
  const result = {
    scenario: "broadcast",
    phones: phones.length,
    themes: config.themes.length,
    connect_seconds: connected.seconds,
    posting_seconds: postingSeconds,
    notes_sent: config.notes,
    acked: acks.ok,
    stored: [...stored.keys()].filter((id) => sent.get(id).normal).length,
    refused: acks.refused,
    expected,
    received,
    lost: expected - received,
    duplicates: everyone.reduce((sum, p) => sum + p.duplicates, 0),
    out_of_order: everyone.reduce((sum, p) => sum + p.outOfOrder, 0),
    seq_gaps: gaps,
    delivery_ms: summary(latencies),
    ack_ms: summary(acks.latencies),
  };
  if (config.flood) result.flood = flood;
  everyone.forEach((p) => p.disconnect());
  return result;
}

// ---- connect storm: every phone at once, until all have their welcome ---------------------------

async function connectStorm(config) {
  const phones = makePhones(config);
  phase("storming");
  const started = performance.now();
  const results = await Promise.allSettled(phones.map((phone) => phone.connect(30000)));
  const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
  const welcomed = results.filter((r) => r.status === "fulfilled").map((r) => r.value - started);
  phase("welcomed");
  await sleep(config.settle_ms ?? 2500); // let coalesced presence messages arrive
  const presence = phones.map((p) => p.presence);
  const result = {
    scenario: "connect_storm",
    phones: phones.length,
    welcomed: welcomed.length,
    failures: failures.length,
    failure_examples: failures.slice(0, 3),
    all_welcomed_s: welcomed.length ? Math.max(...welcomed) / 1000 : null,
    welcome_ms: summary(welcomed),
    presence_per_phone_max: Math.max(...presence),
    presence_total: presence.reduce((a, b) => a + b, 0),
    storm_and_settle_s: (performance.now() - started) / 1000,
  };
  phones.forEach((p) => p.disconnect());
  return result;
}

// ---- reconnect storm: everyone drops, notes arrive meanwhile, everyone comes back and syncs -------

async function reconnectStorm(config) {
  const phones = makePhones(config);
  const theme = config.themes[0];
  const poster = new Phone(config, theme, "poster");
  const connected = await connectAll([poster, ...phones], config.connect_concurrency || 25);
  if (connected.failures.length) return { scenario: "reconnect_storm", error: connected.failures.slice(0, 3) };
  await sleep(1000);
  const lastSeen = new Map(phones.map((p) => [p, p.seq]));
  phones.forEach((p) => p.disconnect());
  await sleep(500);
  const missed = [];
  for (let i = 0; i < (config.notes_while_away || 20); i++) {
    const answer = await poster.call("note:add", { client_id: randomUUID(), text: `While away ${i}` });
    if (answer.ok) missed.push(answer.note.seq);
  }
  const target = Math.max(...missed);
  phase("storming");
  const started = performance.now();
  const results = await Promise.allSettled(
    phones.map(async (phone) => {
      await phone.connect(30000);
      const answer = await phone.call("sync", { since: lastSeen.get(phone) }, 30000);
      if (!answer.ok) throw new Error(`sync refused: ${answer.error.code}`);
      const got = new Set(answer.notes.map((n) => n.seq));
      if (!missed.every((seq) => got.has(seq)) || answer.seq < target) throw new Error("sync incomplete");
      return performance.now() - started;
    }),
  );
  const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
  const caughtUp = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
  phase("caught_up");
  const result = {
    scenario: "reconnect_storm",
    phones: phones.length,
    notes_while_away: missed.length,
    caught_up: caughtUp.length,
    failures: failures.length,
    failure_examples: failures.slice(0, 3),
    all_caught_up_s: caughtUp.length ? Math.max(...caughtUp) / 1000 : null,
    caught_up_ms: summary(caughtUp),
  };
  [poster, ...phones].forEach((p) => p.disconnect());
  return result;
}

const SCENARIOS = { broadcast, connect_storm: connectStorm, reconnect_storm: reconnectStorm };

async function main() {
  const config = readConfig();
  const run = SCENARIOS[config.scenario];
  if (!run) throw new Error(`unknown scenario ${config.scenario}`);
  const result = await run(config);
  process.stdout.write(JSON.stringify(result) + "\n");
  // Sockets close asynchronously; do not wait for every last FIN.
  setTimeout(() => process.exit(0), 200);
}

main().catch((error) => {
  process.stderr.write(JSON.stringify({ phase: "error", message: String(error.stack || error) }) + "\n");
  process.exit(1);
});
