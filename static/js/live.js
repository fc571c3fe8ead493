/* Facilitate's one live client, shared by the phone, the wall and the console.
 *
 * It owns the connection (websocket first, long-polling where that fails), the connection pill,
 * the clock offset, presence, and the bookkeeping of sequence numbers: the page holds every change
 * of its theme up to `ledger.held`, and whenever it may have missed one (a jump in the numbers, a
 * `resync`, a reconnect, a stale `welcome`) it asks `sync` since that point (docs/realtime.md).
 * The pages keep only their own rendering and controls.
 */

import { t } from "./i18n.js";

/* ---- small shared helpers ---- */

/** localStorage when the browser allows it, memory otherwise. */
const memory = new Map();
export const store = {
  get(key, fallback) {
    try {
      const raw = window.localStorage.getItem(key);
      if (raw !== null) return JSON.parse(raw);
    } catch {
      // Private mode or a full store: memory only.
    }
    return memory.has(key) ? memory.get(key) : fallback;
  },
  set(key, value) {
    memory.set(key, value);
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Kept in memory only.
    }
  },
};

export const $ = (selector, scope) => (scope || document).querySelector(selector);

/** An element with a class and text; people's text only ever goes in as textContent. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** "4:05" for 245 seconds. */
export function clock(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${s < 10 ? "0" : ""}${s}`;
}

/* ---- the sequence bookkeeping ---- */

/** The point up to which the page holds every change of its theme, and the numbers seen beyond it.
 *
 * A change numbered `held + 1` moves the point on (and over any numbers already seen after it);
 * a change further on is kept in mind but leaves a gap that only `sync` can close, however many
 * later changes or acknowledgements arrive. Seeing the same number twice changes nothing. */
export class Ledger {
  constructor() {
    this.held = 0;
    this.started = false;
    this.beyond = new Set();
  }

  /** A `welcome` at `seq`; false when it is older than what the page already holds. */
  start(seq) {
    if (this.started && seq < this.held) return false;
    this.started = true;
    this.held = seq;
    this.beyond.clear();
    return true;
  }

  /** A change numbered `seq` arrived (broadcast or acknowledgement). */
  saw(seq) {
    if (typeof seq !== "number" || seq <= this.held) return;
    this.beyond.add(seq);
    this.advance();
  }

  /** `sync` answered: every change up to `seq` is now held. */
  caughtUp(seq) {
    if (seq > this.held) this.held = seq;
    this.advance();
  }

  advance() {
    for (const seq of this.beyond) if (seq <= this.held) this.beyond.delete(seq);
    while (this.beyond.has(this.held + 1)) {
      this.held += 1;
      this.beyond.delete(this.held);
    }
  }

  /** Whether a change may be missing: some number beyond the point was seen without those before. */
  get gap() {
    return this.beyond.size > 0;
  }
}

/* ---- the connection ---- */

const LABELS = {
  connecting: t("Connecting…"),
  live: t("Live"),
  reconnecting: t("Reconnecting…"),
  offline: t("Offline"),
  refused: t("Not connected"),
};
const WEBSOCKET_FIRST = ["websocket", "polling"];
const POLLING_FIRST = ["polling", "websocket"];
const WEBSOCKET_KEY = "facilitate:websocket-works";
/** Codes after which trying again cannot help; anything else is retried. */
const RETRY_CODES = new Set(["unavailable", "rate_limited"]);
/** How long a gap may stay open before `sync` (a moment for a change that is merely late). */
const GAP_WAIT_MS = 400;
/** A `sync` now and then anyway, in case a broadcast went astray on a bad network. */
const PERIODIC_SYNC_MS = 60000;

/**
 * `new LiveClient({auth, pill, handlers})` connects to `/live` and calls the page's handlers:
 * `welcome(welcome, {stale})`, `note(note, {personal, isNew})`, `notes(list)` after a sync,
 * `theme(theme)`, `clusters(list)`, `presence(count)`, `written(count)` (notes written while they
 * are private), `state(state)`, `refused(message)`.
 */
export class LiveClient {
  constructor({ auth, pill, handlers }) {
    this.handlers = handlers;
    this.pill = pill;
    this.ledger = new Ledger();
    this.state = "connecting";
    this.welcomed = false;
    this.everWelcomed = false;
    this.clockOffset = 0;
    this.syncing = false;
    this.syncAgain = false;
    this.gapTimer = null;
    this.socket = window.io("/live", {
      auth: (cb) => cb(auth()),
      transports: store.get(WEBSOCKET_KEY, true) ? WEBSOCKET_FIRST : POLLING_FIRST,
      tryAllTransports: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 10000,
    });
    this.listen();
  }

  get connected() {
    return this.socket.connected && this.welcomed;
  }

  /** The server's time now, in milliseconds, whatever this phone's clock says. */
  now() {
    return Date.now() + this.clockOffset;
  }

  setClock(iso) {
    if (iso) this.clockOffset = Date.parse(iso) - Date.now();
  }

  setState(state) {
    if (state !== "refused" && state !== "live" && !navigator.onLine) state = "offline";
    if (this.state === state) return;
    this.state = state;
    if (this.pill) {
      this.pill.element.hidden = false;
      this.pill.element.setAttribute("data-state", state);
      this.pill.label.textContent = LABELS[state];
    }
    this.call("state", state);
  }

  call(name, ...args) {
    const handler = this.handlers[name];
    return handler ? handler(...args) : undefined;
  }

  rememberWebsocket(works) {
    store.set(WEBSOCKET_KEY, works);
    this.socket.io.opts.transports = works ? WEBSOCKET_FIRST : POLLING_FIRST;
  }

  transportOpened() {
    const engine = this.socket.io.engine;
    const websocket = Boolean(engine && engine.transport && engine.transport.name === "websocket");
    // Remember a websocket that opened, or one tried first that fell back to long-polling.
    if (websocket || this.socket.io.opts.transports[0] === "websocket") this.rememberWebsocket(websocket);
  }

  listen() {
    const socket = this.socket;
    socket.io.on("open", () => {
      this.transportOpened();
      socket.io.engine.on("upgrade", () => this.transportOpened());
    });
    socket.on("connect", () => this.setState("live"));
    socket.on("disconnect", (reason) => {
      this.welcomed = false;
      this.setState("reconnecting");
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", (error) => this.connectError(error));
    socket.on("welcome", (welcome) => this.welcome(welcome));
    for (const event of ["note:added", "note:updated", "note:removed"]) {
      socket.on(event, (message) => this.change(message.note, message.seq, false));
    }
    socket.on("theme:updated", (message) => this.call("theme", message.theme));
    socket.on("clusters:updated", (message) => this.call("clusters", message.clusters));
    socket.on("presence", (message) => this.call("presence", message.count));
    socket.on("notes:written", (message) => this.call("written", message.count));
    // The server lost broadcasts for a while (its message queue was away): catch up.
    socket.on("resync", () => this.sync());
    window.setInterval(() => {
      if (this.connected && document.visibilityState === "visible") this.sync();
    }, PERIODIC_SYNC_MS);
    window.addEventListener("offline", () => this.setState("offline"));
    window.addEventListener("online", () => {
      this.setState(socket.connected ? "live" : "reconnecting");
      this.hurry();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.hurry();
    });
  }

  connectError(error) {
    const data = (error && error.data) || {};
    if (!data.code && this.socket.io.opts.transports[0] === "websocket") {
      this.rememberWebsocket(false); // no answer at all: long-polling first again
    }
    if (this.socket.active) {
      this.setState(this.everWelcomed ? "reconnecting" : "connecting");
      return;
    }
    if (data.code && !RETRY_CODES.has(data.code)) {
      this.setState("refused");
      this.call("refused", data.message || t("This page cannot connect. Check the address and reload."));
      return;
    }
    this.setState("reconnecting");
    window.setTimeout(() => this.socket.connect(), 3000);
  }

  /** Back on the network, or the phone woke up: try at once instead of waiting for the back-off. */
  hurry() {
    if (this.socket.connected || this.state === "refused") return;
    this.socket.disconnect();
    this.socket.connect();
  }

  welcome(welcome) {
    this.setClock(welcome.now);
    const fresh = this.ledger.start(welcome.seq);
    this.welcomed = true;
    const first = !this.everWelcomed;
    this.everWelcomed = true;
    this.call("welcome", welcome, { stale: !fresh, first });
    // The server joins the room before it builds the welcome, so every later change is either in
    // the welcome or broadcast; a welcome older than what the page held asks for what it lacks.
    if (!fresh) this.sync();
  }

  /** A note from the server: a broadcast, or `personal` (an acknowledgement or a sync). */
  change(note, seq, personal) {
    if (!note) return;
    this.call("note", note, { personal });
    this.ledger.saw(typeof seq === "number" ? seq : note.seq);
    this.watchGap();
  }

  /** Apply a note an acknowledgement carried. */
  acknowledged(note) {
    this.change(note, note && note.seq, true);
  }

  watchGap() {
    if (!this.ledger.gap || this.gapTimer) return;
    this.gapTimer = window.setTimeout(() => {
      this.gapTimer = null;
      if (this.ledger.gap) this.sync();
    }, GAP_WAIT_MS);
  }

  /** Ask for every change since the point held; requests made meanwhile fold into one more. */
  sync() {
    if (!this.connected) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    const since = this.ledger.held;
    this.socket.timeout(15000).emit("sync", { since }, (error, answer) => {
      this.syncing = false;
      if (!error && answer && answer.ok) {
        for (const note of answer.notes) this.call("note", note, { personal: true });
        this.ledger.caughtUp(answer.seq);
        this.call("synced", answer.notes);
      }
      if (this.syncAgain || this.ledger.gap) {
        this.syncAgain = false;
        if (this.connected) this.sync();
      }
    });
  }

  /** Emit `event` and resolve with the server's answer; a lost connection or no answer within
   * `timeout` resolves as a refusal the page can show like any other. */
  emit(event, payload, timeout = 15000) {
    return new Promise((resolve) => {
      if (!this.connected) {
        resolve({ ok: false, error: { code: "offline", message: t("You are offline just now. Try again when the connection is back.") } });
        return;
      }
      this.socket.timeout(timeout).emit(event, payload, (error, answer) => {
        if (error || !answer) {
          resolve({ ok: false, error: { code: "no_answer", message: t("No answer from the server. Check the connection and try again.") } });
          return;
        }
        resolve(answer);
      });
    });
  }
}
