/* Facilitate, the phone page: post notes, see everyone's live, vote, edit and delete one's own.
 *
 * No note is lost: a note goes into an outbox in localStorage before it is sent and leaves it only
 * when the server acknowledges it (docs/realtime.md). Without JavaScript the form still posts.
 * Text from people is only ever set with textContent.
 */
(function () {
  "use strict";

  var root = document.getElementById("theme");
  if (!root || typeof window.io !== "function") return; // the plain form keeps working

  var $ = function (selector, scope) { return (scope || document).querySelector(selector); };
  var cfg = root.dataset;
  var code = cfg.code;
  var KINDS = { idea: "Idea", question: "Question", action: "Action", quote: "Quote" };
  var RETRY_CODES = { unavailable: true, rate_limited: true };

  document.documentElement.classList.add("js");

  /* ---- storage: localStorage when the browser allows it, memory otherwise ---- */
  var memory = {};
  var store = {
    get: function (key, fallback) {
      try {
        var raw = window.localStorage.getItem(key);
        if (raw !== null) return JSON.parse(raw);
      } catch (e) {
        if (key in memory) return memory[key];
      }
      return key in memory ? memory[key] : fallback;
    },
    set: function (key, value) {
      memory[key] = value;
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* memory only */ }
    },
  };
  var KEY = {
    token: "facilitate:token:" + cfg.event,
    name: "facilitate:name:" + cfg.event,
    posted: "facilitate:posted:" + cfg.event,
    outbox: "facilitate:outbox:" + code,
    draft: "facilitate:draft:" + code,
    sort: "facilitate:sort",
    websocket: "facilitate:websocket-works",
  };

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      try { return window.crypto.randomUUID(); } catch (e) { /* insecure context */ }
    }
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* Like the server's clean_text: what counts against the limit is what will be stored. */
  function cleanText(text) {
    text = text.replace(/\r\n?/g, "\n");
    if (text.normalize) text = text.normalize("NFC");
    return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]/g, "").replace(/\n{3,}/g, "\n\n").trim();
  }
  function length(text) { return Array.from(text).length; }
  function cleanLine(text) { return cleanText(text).split(/\s+/).join(" ").trim(); }

  /* ---- state ---- */
  var S = {
    phase: cfg.phase,
    settings: {
      names_required: cfg.namesRequired === "true",
      approval_required: cfg.approval === "true",
      votes_per_participant: parseInt(cfg.votes, 10) || 0,
      note_max_length: parseInt(cfg.maxLength, 10) || 500,
    },
    timerEnds: cfg.timerEnds || null,
    clockOffset: cfg.now ? Date.parse(cfg.now) - Date.now() : 0,
    token: store.get(KEY.token, null),
    name: store.get(KEY.name, null), // null: never set on this phone
    posted: store.get(KEY.posted, false),
    outbox: store.get(KEY.outbox, []),
    notes: new Map(), // id -> NOTE, removed ones kept as tombstones so a late update cannot revive them
    sending: null, // client_id of the note on its way
    seq: 0,
    votesLeft: null,
    welcomed: false,
    everWelcomed: false,
    conn: "connecting",
    sort: store.get(KEY.sort, "newest") === "votes" ? "votes" : "newest",
    fresh: 0,
  };
  if (!Array.isArray(S.outbox)) S.outbox = [];

  /* ---- elements ---- */
  var form = $("#note-form");
  var textBox = $("#text");
  var counter = $("#text-counter");
  var nameField = $(".name-field");
  var nameInput = $("#name");
  var nameDone = $(".name-field__done");
  var nameKnown = $(".name-known");
  var postButton = $(".button--post");
  var outboxLine = $(".outbox");
  var feedback = $(".feedback");
  var announcer = $("#announcer");
  var list = $(".notes");
  var connPill = $(".conn");
  var presence = $(".presence");
  var timer = $(".timer");
  var votesLeftLine = $("#votes-left");
  var sortBox = $(".sort");
  var elements = new Map(); // key -> <li>

  /* ---- connection ---- */
  /* The websocket first: one request instead of the four or five of long-polling, which a room of
   * phones joining at once feels. Where it fails (a proxy refusing it falls back at once; one that
   * lets it hang, at the connect timeout) this phone remembers it and starts with long-polling on
   * that network, upgrading when it can, as Socket.IO does by default. */
  var WEBSOCKET_FIRST = ["websocket", "polling"];
  var POLLING_FIRST = ["polling", "websocket"];
  var socket = window.io("/live", {
    auth: function (cb) { cb({ code: code, token: S.token, name: S.name || null }); },
    transports: store.get(KEY.websocket, true) ? WEBSOCKET_FIRST : POLLING_FIRST,
    tryAllTransports: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    timeout: 10000,
  });
  function rememberWebsocket(works) {
    store.set(KEY.websocket, works);
    socket.io.opts.transports = works ? WEBSOCKET_FIRST : POLLING_FIRST;
  }
  function transportOpened() {
    var engine = socket.io.engine;
    var websocket = Boolean(engine && engine.transport && engine.transport.name === "websocket");
    // Remember a websocket that opened, or one tried first that fell back to long-polling.
    if (websocket || socket.io.opts.transports[0] === "websocket") rememberWebsocket(websocket);
  }
  socket.io.on("open", function () {
    transportOpened();
    socket.io.engine.on("upgrade", transportOpened);
  });

  var CONN_LABELS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: "Offline", refused: "Not connected" };
  function setConn(state) {
    if (state !== "refused" && state !== "live" && !navigator.onLine) state = "offline";
    if (S.conn === state) return;
    S.conn = state;
    connPill.hidden = false;
    connPill.setAttribute("data-state", state);
    $(".conn__label", connPill).textContent = CONN_LABELS[state];
    renderOutbox();
    renderList();
  }

  socket.on("connect", function () { setConn("live"); });
  socket.on("disconnect", function (reason) {
    S.welcomed = false;
    S.sending = null;
    setConn("reconnecting");
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", function (error) {
    if (!(error && error.data) && socket.io.opts.transports[0] === "websocket") {
      rememberWebsocket(false); // no answer at all: long-polling first again
    }
    if (socket.active) { setConn(S.everWelcomed ? "reconnecting" : "connecting"); return; }
    var data = (error && error.data) || {};
    if (data.code && !RETRY_CODES[data.code]) {
      setConn("refused");
      say(data.message || "This page cannot connect. Check the code and reload.");
      return;
    }
    setConn("reconnecting");
    window.setTimeout(function () { socket.connect(); }, 3000);
  });
  /* Back on the network, or the phone woke up: try at once instead of waiting for the back-off. */
  function hurry() {
    if (socket.connected || S.conn === "refused") return;
    socket.disconnect();
    socket.connect();
  }
  window.addEventListener("offline", function () { setConn("offline"); });
  window.addEventListener("online", function () {
    setConn(socket.connected ? "live" : "reconnecting");
    hurry();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") hurry();
  });

  socket.on("welcome", function (welcome) {
    var participant = welcome.participant;
    S.token = participant.token;
    store.set(KEY.token, S.token);
    S.serverName = participant.name || "";
    if (S.name === null) S.name = S.serverName;
    if (welcome.now) S.clockOffset = Date.parse(welcome.now) - Date.now();
    applyTheme(welcome.theme);
    S.notes = new Map();
    welcome.notes.forEach(function (note) { S.notes.set(note.id, note); });
    S.seq = welcome.seq;
    S.votesLeft = welcome.votes_left;
    setPresence(welcome.presence);
    S.outbox.filter(stored).forEach(function (item) { dropFromOutbox(item.client_id); });
    if (!S.posted && ownNotes()) setPosted();
    if (!S.everWelcomed) {
      Array.prototype.slice.call(list.children).forEach(function (child) { if (!child._v) child.remove(); });
    }
    S.welcomed = true;
    S.everWelcomed = true;
    renderAll();
    syncName(function () {
      flushOutbox();
      sync();
    });
  });

  socket.on("note:added", function (message) { applyBroadcast(message); });
  socket.on("note:updated", function (message) { applyBroadcast(message); });
  socket.on("note:removed", function (message) { applyBroadcast(message); });
  socket.on("theme:updated", function (message) { applyTheme(message.theme); renderAll(); });
  socket.on("presence", function (message) { setPresence(message.count); });
  // The server lost broadcasts for a while (its message queue was away): catch up.
  socket.on("resync", function () { sync(); });
  // And now and then anyway, in case a broadcast went astray on a bad network.
  setInterval(function () {
    if (socket.connected && S.welcomed && document.visibilityState === "visible") sync();
  }, 60000);

  function sync() {
    socket.timeout(15000).emit("sync", { since: S.seq }, function (error, answer) {
      if (error || !answer || !answer.ok) return;
      answer.notes.forEach(function (note) { upsert(note, true); });
      S.seq = Math.max(S.seq, answer.seq);
      renderList();
    });
  }

  /* ---- notes ---- */
  function shown(note) {
    return note.status === "visible" || (note.mine && note.status === "pending");
  }
  function stored(item) {
    var found = false;
    S.notes.forEach(function (note) { if (note.mine && note.client_id === item.client_id) found = true; });
    return found;
  }
  function ownNotes() {
    var any = false;
    S.notes.forEach(function (note) { if (note.mine && note.status !== "removed") any = true; });
    return any;
  }

  /* Apply a note from the server. ``personal`` payloads (acknowledgements, sync, welcome) carry the
   * truth about mine and voted; room broadcasts carry them as false, so the known values stay. */
  function upsert(note, personal) {
    var old = S.notes.get(note.id);
    if (old && (note.seq < old.seq || (note.seq === old.seq && !personal))) return false;
    if (!personal) {
      note.mine = old ? old.mine : S.outbox.some(function (item) { return item.client_id === note.client_id; });
      note.voted = old ? old.voted : false;
    }
    S.notes.set(note.id, note);
    if (note.seq > S.seq) S.seq = note.seq;
    if (note.mine) dropFromOutbox(note.client_id);
    return !old || !shown(old);
  }

  function applyBroadcast(message) {
    var note = message.note;
    var isNew = upsert(note, false);
    if (message.seq > S.seq) S.seq = message.seq;
    if (isNew && shown(note) && !note.mine) {
      S.fresh += 1;
      scheduleAnnouncement();
    }
    renderList();
  }

  var announceTimer = null;
  function scheduleAnnouncement() {
    if (announceTimer) return;
    announceTimer = window.setTimeout(function () {
      announceTimer = null;
      if (S.fresh) announcer.textContent = S.fresh === 1 ? "1 new note" : S.fresh + " new notes";
      S.fresh = 0;
    }, 4000);
  }

  /* ---- theme ---- */
  function applyTheme(theme) {
    var was = S.phase;
    var oldVotes = S.settings.votes_per_participant;
    S.phase = theme.phase;
    S.settings = theme.settings;
    S.timerEnds = theme.timer ? theme.timer.ends_at : null;
    if (S.votesLeft !== null && oldVotes !== theme.settings.votes_per_participant) {
      S.votesLeft = Math.max(0, theme.settings.votes_per_participant - (oldVotes - S.votesLeft));
    }
    $(".theme-title").textContent = theme.title;
    document.title = theme.title + " – Facilitate";
    var prompt = $(".prompt");
    if (prompt) prompt.textContent = theme.prompt;
    if (was !== S.phase && S.everWelcomed) {
      say(S.phase === "open" ? "The discussion is open: you can post now." : S.phase === "closed" ? "This discussion is closed. Thank you!" : "");
    }
    tick();
  }

  function renderPhase() {
    document.querySelectorAll("[data-for-phase]").forEach(function (el) {
      el.hidden = el.getAttribute("data-for-phase") !== S.phase;
    });
    $(".compose").hidden = S.phase === "closed";
    if (S.phase === "open") postButton.removeAttribute("aria-disabled");
    else postButton.setAttribute("aria-disabled", "true");
    $(".counter__max", counter).textContent = S.settings.note_max_length;
    textBox.maxLength = S.settings.note_max_length + 200;
    var optional = $(".optional", nameField);
    if (optional) optional.hidden = S.settings.names_required;
    $("#name-hint").textContent = S.settings.names_required
      ? "This discussion asks for names."
      : "Leave it empty to stay anonymous.";
  }

  function setPresence(count) {
    if (typeof count !== "number") return;
    presence.hidden = false;
    $(".presence__count", presence).textContent = count;
  }

  function tick() {
    if (!S.timerEnds) { timer.hidden = true; return; }
    var left = Math.round((Date.parse(S.timerEnds) - (Date.now() + S.clockOffset)) / 1000);
    timer.hidden = false;
    timer.classList.toggle("timer--up", left <= 0);
    $(".timer__text", timer).textContent = left > 0 ? clock(left) + " left" : "Time is up";
  }
  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  /* ---- outbox: a note is kept on the phone until the server has it ---- */
  function saveOutbox() { store.set(KEY.outbox, S.outbox); }
  function dropFromOutbox(clientId) {
    var before = S.outbox.length;
    S.outbox = S.outbox.filter(function (item) { return item.client_id !== clientId; });
    if (S.outbox.length !== before) { saveOutbox(); renderOutbox(); }
  }

  var retryTimer = null;
  function retryLater(ms) {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flushOutbox, ms);
  }

  /* Send the oldest waiting note, then the next: one at a time keeps them in the order written. */
  function flushOutbox() {
    if (!socket.connected || !S.welcomed || S.sending || !S.outbox.length) return;
    var item = S.outbox[0];
    S.sending = item.client_id;
    renderList();
    socket.timeout(15000).emit("note:add", { client_id: item.client_id, text: item.text, kind: item.kind }, function (error, answer) {
      if (S.sending === item.client_id) S.sending = null;
      if (error || !answer) { retryLater(3000); renderList(); return; }
      if (answer.ok) {
        dropFromOutbox(item.client_id);
        upsert(answer.note, true);
        setPosted();
        say(answer.note.status === "pending"
          ? "Your note is posted. It appears to everyone once the facilitator approves it."
          : "Your note is posted.");
        flushOutbox();
      } else if (RETRY_CODES[answer.error.code]) {
        say(answer.error.message);
        retryLater(answer.error.code === "rate_limited" ? 20000 : 3000);
      } else {
        dropFromOutbox(item.client_id);
        giveBack(item, answer.error);
        flushOutbox();
      }
      renderList();
      renderOutbox();
    });
  }

  /* A note the server refused for good goes back into the box, so nothing typed is lost. */
  function giveBack(item, error) {
    var current = textBox.value.trim();
    textBox.value = current ? item.text + "\n\n" + current : item.text;
    var kind = form.querySelector('input[name="kind"][value="' + item.kind + '"]');
    if (kind) kind.checked = true;
    saveDraft();
    updateCounter();
    grow(textBox);
    if (error.code === "name_required") {
      showNameField();
      fieldError("name", error.message);
    } else {
      fieldError("text", error.message);
    }
    say("Not posted: " + error.message);
  }

  function renderOutbox() {
    var waiting = S.outbox.length;
    var show = waiting > 0 && (S.conn !== "live" || S.outbox.some(function (item) { return Date.now() - item.sent_at > 3000; }));
    outboxLine.hidden = !show;
    if (show) {
      $(".outbox__text", outboxLine).textContent = waiting === 1 ? "1 note waiting to send" : waiting + " notes waiting to send";
    }
  }
  window.setInterval(renderOutbox, 2000);

  $(".outbox__retry").addEventListener("click", function () {
    if (!socket.connected) {
      say("Still offline. Your notes are kept on this phone and will be sent as soon as the connection is back.");
      hurry();
      return;
    }
    flushOutbox();
    say("Sending…");
  });

  /* ---- posting ---- */
  function post(event) {
    if (event) event.preventDefault();
    clearErrors();
    if (S.phase !== "open") {
      say(S.phase === "draft" ? "This discussion has not started yet. Keep your note: you can post it once the facilitator opens it." : "This discussion is closed.");
      return;
    }
    var text = cleanText(textBox.value);
    var limit = S.settings.note_max_length;
    if (!text) return fieldError("text", "Write something before you post.");
    if (length(text) > limit) {
      return fieldError("text", "Notes can be up to " + limit + " characters; this one has " + length(text) + ".");
    }
    var name = nameField.hidden ? S.name || "" : cleanLine(nameInput.value);
    if (S.settings.names_required && !name) {
      showNameField();
      return fieldError("name", "Add your name before you post: this discussion asks for names.");
    }
    var checked = form.querySelector('input[name="kind"]:checked');
    var item = { client_id: uuid(), text: text, kind: checked ? checked.value : "idea", created_at: new Date().toISOString(), sent_at: Date.now() };
    S.outbox.push(item);
    saveOutbox(); // kept before anything is sent
    textBox.value = "";
    saveDraft();
    grow(textBox);
    updateCounter();
    var idea = form.querySelector('input[name="kind"][value="idea"]');
    if (idea) idea.checked = true;
    setPosted();
    say(socket.connected ? "Sending your note…" : "Your note is kept on this phone and will be sent when the connection is back.");
    naming = false;
    if (name !== S.name) setName(name);
    else renderName();
    syncName(flushOutbox);
    renderList();
    window.setTimeout(renderOutbox, 3100);
  }
  form.addEventListener("submit", post);
  textBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) post(event);
  });

  function setPosted() {
    if (S.posted) return;
    S.posted = true;
    store.set(KEY.posted, true);
    renderName();
  }

  /* ---- names ---- */
  var naming = false; // the name field is open for a change
  var nameQueue = null; // callbacks waiting for a profile:update to be acknowledged

  function setName(name) {
    S.name = name;
    store.set(KEY.name, name);
    renderName();
  }

  /* Bring the server's name in line with the one chosen on this phone, then run ``then``. Posts wait
   * for it: the server handles events side by side, and the note must carry the new name. */
  function syncName(then) {
    if (nameQueue) { nameQueue.push(then); return; }
    if (S.name === null || !socket.connected || !S.welcomed || S.name === S.serverName) { then(); return; }
    nameQueue = [then];
    socket.timeout(10000).emit("profile:update", { name: S.name }, function (error, answer) {
      var waiting = nameQueue;
      nameQueue = null;
      if (!error && answer && answer.ok) {
        S.serverName = answer.participant.name || "";
      } else if (answer && !answer.ok) {
        showNameField();
        fieldError("name", answer.error.message);
      }
      waiting.forEach(function (fn) { fn(); });
    });
  }

  function renderName() {
    var known = (S.posted || S.name) && !naming && !(S.settings.names_required && !S.name);
    nameField.hidden = !!known;
    nameKnown.hidden = !known;
    nameDone.hidden = !naming;
    if (known) {
      $(".name-known__text", nameKnown).textContent = S.name ? "Posting as " + S.name + "." : "Posting anonymously.";
      $(".name-known__change", nameKnown).textContent = S.name ? "Change" : "Add your name";
    }
  }

  function showNameField() {
    naming = S.posted || !!S.name;
    renderName();
  }

  $(".name-known__change").addEventListener("click", function () {
    showNameField();
    nameInput.value = S.name || "";
    nameInput.focus();
  });
  function finishName() {
    var name = cleanLine(nameInput.value);
    if (S.settings.names_required && !name) return fieldError("name", "Add your name: this discussion asks for names.");
    clearError("name");
    naming = false;
    setName(name);
    syncName(function () {});
    say(name ? "Your name is saved: your notes from now on show “" + name + "”." : "You are posting anonymously.");
    $(".name-known__change").focus();
  }
  nameDone.addEventListener("click", finishName);
  nameInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && naming) { event.preventDefault(); finishName(); }
  });

  /* ---- messages ---- */
  var sayTimer = null;
  function say(message) {
    feedback.textContent = "";
    window.clearTimeout(sayTimer);
    sayTimer = window.setTimeout(function () {
      feedback.textContent = message;
      sayTimer = window.setTimeout(function () { feedback.textContent = ""; }, 10000);
    }, 50);
  }
  function fieldError(field, message) {
    var box = $("#" + field + "-error");
    var input = field === "name" ? nameInput : textBox;
    $(".field__error-text", box).textContent = message;
    box.hidden = false;
    box.parentNode.classList.add("field--error");
    input.setAttribute("aria-invalid", "true");
    var described = input.getAttribute("aria-describedby") || "";
    if (described.indexOf(field + "-error") < 0) input.setAttribute("aria-describedby", (described + " " + field + "-error").trim());
    input.focus();
  }
  function clearError(field) {
    var box = $("#" + field + "-error");
    var input = field === "name" ? nameInput : textBox;
    box.hidden = true;
    box.parentNode.classList.remove("field--error");
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "").replace(field + "-error", "").trim());
  }
  function clearErrors() {
    clearError("text");
    clearError("name");
    var summary = $(".error-summary", form.parentNode);
    if (summary) summary.remove();
  }

  /* ---- the text box: grows, counts, keeps a draft ---- */
  function grow(box) {
    box.style.height = "auto";
    box.style.height = Math.min(box.scrollHeight + 4, window.innerHeight * 0.6) + "px";
  }
  function counterState(text, limit) {
    var used = length(cleanText(text));
    if (used > limit) return { used: used, cls: "counter--over", note: " · " + (used - limit) + " too many" };
    if (used >= limit * 0.9) return { used: used, cls: "counter--near", note: " · " + (limit - used) + " left" };
    return { used: used, cls: "", note: "" };
  }
  function paintCounter(el, text, limit) {
    var state = counterState(text, limit);
    el.className = "counter " + state.cls;
    $(".counter__used", el).textContent = state.used;
    $(".counter__max", el).textContent = limit;
    $(".counter__note", el).textContent = state.note;
    return state;
  }
  var lastCounterClass = "";
  function updateCounter() {
    var state = paintCounter(counter, textBox.value, S.settings.note_max_length);
    if (state.cls !== lastCounterClass && state.cls) {
      announcer.textContent = state.cls === "counter--over"
        ? "Too long: " + (state.used - S.settings.note_max_length) + " characters over the limit."
        : (S.settings.note_max_length - state.used) + " characters left.";
    }
    lastCounterClass = state.cls;
  }
  var draftTimer = null;
  function saveDraft() {
    window.clearTimeout(draftTimer);
    store.set(KEY.draft, textBox.value);
  }
  textBox.addEventListener("input", function () {
    grow(textBox);
    updateCounter();
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(saveDraft, 400);
  });
  if (!textBox.value) textBox.value = store.get(KEY.draft, "") || "";

  /* ---- the list ---- */
  function entries() {
    var out = [];
    S.outbox.forEach(function (item) {
      if (!stored(item)) out.push({ key: "c:" + item.client_id, item: item });
    });
    var notes = [];
    S.notes.forEach(function (note) { if (shown(note)) notes.push({ key: "n:" + note.id, note: note }); });
    notes.sort(function (a, b) {
      if (S.sort === "votes" && a.note.votes !== b.note.votes) return b.note.votes - a.note.votes;
      return a.note.created_at < b.note.created_at ? 1 : a.note.created_at > b.note.created_at ? -1 : b.note.id - a.note.id;
    });
    out.reverse();
    return out.concat(notes);
  }

  function canVote() { return S.phase === "open" && S.settings.votes_per_participant > 0; }

  function version(entry) {
    if (entry.item) return "o|" + (S.sending === entry.item.client_id) + "|" + S.conn;
    var n = entry.note;
    return [n.seq, n.mine, n.voted, n.status, S.phase, canVote(), S.votesLeft > 0].join("|");
  }

  function renderList() {
    if (!S.everWelcomed && !S.outbox.length) return;
    var wanted = entries();
    var focused = document.activeElement;
    var previous = null;
    var seen = new Set();
    wanted.forEach(function (entry) {
      var li = elements.get(entry.key);
      if (!li && entry.note && entry.note.mine && elements.has("c:" + entry.note.client_id)) {
        li = elements.get("c:" + entry.note.client_id);
        elements.delete("c:" + entry.note.client_id);
        elements.set(entry.key, li);
      }
      if (!li) {
        li = document.createElement("li");
        elements.set(entry.key, li);
        if (S.welcomed && entry.note && !entry.note.mine && list.children.length) {
          li.classList.add("note--new");
          window.setTimeout(function () { li.classList.remove("note--new"); }, 1500);
        }
      }
      var v = version(entry);
      if (li._v !== v && !li._editing) {
        var act = li.contains(focused) && focused.getAttribute("data-act");
        fill(li, entry);
        li._v = v;
        if (act) { var again = li.querySelector('[data-act="' + act + '"]'); if (again) again.focus(); }
      }
      li._entry = entry;
      seen.add(entry.key);
      var spot = previous ? previous.nextSibling : list.firstChild;
      if (spot !== li) list.insertBefore(li, spot);
      previous = li;
    });
    elements.forEach(function (li, key) {
      if (!seen.has(key)) { li.remove(); elements.delete(key); }
    });
    var empty = $(".notes__empty", list);
    if (!wanted.length && !empty) {
      empty = document.createElement("li");
      empty.className = "notes__empty";
      empty.textContent = S.phase === "closed" ? "No notes were posted." : "No notes yet. Be the first!";
      list.appendChild(empty);
    } else if (wanted.length && empty) {
      empty.remove();
    }
    if (focused && focused !== document.activeElement && focused.isConnected) focused.focus();
    if (S.everWelcomed) $(".notes-count").textContent = "(" + wanted.length + ")";
    renderVotesLeft();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function button(label, act, className) {
    var b = el("button", className || "link-button", label);
    b.type = "button";
    b.setAttribute("data-act", act);
    return b;
  }

  function fill(li, entry) {
    var note = entry.note;
    var item = entry.item;
    var data = note || item;
    var mine = item ? true : note.mine;
    var pending = note && note.status === "pending";
    li.className = "note note--" + (KINDS[data.kind] ? data.kind : "idea") + (mine ? " note--mine" : "") +
      (item ? " note--outbox" : "") + (pending ? " note--pending" : "") + (li.classList.contains("note--new") ? " note--new" : "");
    li.textContent = "";
    li.appendChild(el("p", "note__text", data.text)).setAttribute("dir", "auto");

    var foot = el("div", "note__foot");
    var meta = el("p", "note__meta");
    meta.appendChild(el("span", "note__kind", KINDS[data.kind] || "Idea"));
    meta.appendChild(document.createTextNode(" · "));
    if (mine) meta.appendChild(el("span", "badge", "You"));
    else meta.appendChild(document.createTextNode(note.author || "Anonymous"));
    if (item || pending) {
      meta.appendChild(document.createTextNode(" · "));
      var state = item ? (S.sending === item.client_id && S.conn === "live" ? "Sending…" : "Waiting to send") : "Waiting for the facilitator";
      meta.appendChild(el("span", "note__state", state));
    } else {
      meta.appendChild(document.createTextNode(" · "));
      var time = el("time", "note__time", ago(note.created_at));
      time.dateTime = note.created_at;
      meta.appendChild(time);
    }
    foot.appendChild(meta);
    if (note && note.status === "visible") foot.appendChild(votes(note));
    li.appendChild(foot);

    if (note && mine && S.phase === "open") {
      var actions = el("div", "note__actions");
      actions.appendChild(button("Edit", "edit")).setAttribute("aria-label", "Edit your note");
      actions.appendChild(button("Delete", "delete")).setAttribute("aria-label", "Delete your note");
      li.appendChild(actions);
    }
  }

  function votes(note) {
    var count = note.votes === 1 ? " vote" : " votes";
    if (note.mine || !canVote()) {
      var p = el("p", "votes");
      p.appendChild(el("span", "votes__icon", "▲")).setAttribute("aria-hidden", "true");
      p.appendChild(document.createTextNode(" " + note.votes));
      p.appendChild(el("span", "visually-hidden", count));
      return p;
    }
    var b = el("button", "vote");
    b.type = "button";
    b.setAttribute("data-act", "vote");
    b.setAttribute("aria-pressed", note.voted ? "true" : "false");
    b.appendChild(el("span", "vote__icon")).setAttribute("aria-hidden", "true");
    b.appendChild(el("span", "visually-hidden", "Vote, "));
    b.appendChild(el("span", "vote__count", String(note.votes)));
    b.appendChild(el("span", "visually-hidden", count));
    if (!note.voted && S.votesLeft === 0) {
      b.setAttribute("aria-disabled", "true");
      b.setAttribute("aria-describedby", "votes-left");
    }
    return b;
  }

  function renderVotesLeft() {
    var per = S.settings.votes_per_participant;
    votesLeftLine.hidden = !canVote() || S.votesLeft === null;
    if (votesLeftLine.hidden) return;
    votesLeftLine.classList.toggle("votes-left--none", S.votesLeft === 0);
    votesLeftLine.textContent = S.votesLeft === 0
      ? (per === 1 ? "You have used your vote. Take it back to vote for another note." : "You have used all " + per + " of your votes. Take one back to vote for another note.")
      : "You have " + S.votesLeft + " of " + per + (per === 1 ? " vote" : " votes") + " left. Tap ▲ on a note you agree with.";
  }

  function ago(iso) {
    var seconds = Math.max(0, (Date.now() + S.clockOffset - Date.parse(iso)) / 1000);
    if (seconds < 60) return "just now";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
    if (seconds < 86400) return Math.floor(seconds / 3600) + " h ago";
    return new Date(iso).toLocaleDateString();
  }
  window.setInterval(function () {
    list.querySelectorAll("time").forEach(function (t) { t.textContent = ago(t.dateTime); });
  }, 30000);

  /* ---- actions on notes: vote, edit, delete ---- */
  list.addEventListener("click", function (event) {
    var target = event.target.closest("[data-act]");
    if (!target) return;
    var li = target.closest("li");
    var note = li && li._entry && li._entry.note;
    if (!note) return;
    var act = target.getAttribute("data-act");
    if (act === "vote") vote(note, target);
    else if (act === "edit") startEdit(li, note);
    else if (act === "save") saveEdit(li, note);
    else if (act === "cancel") endEdit(li, "edit");
    else if (act === "delete") askDelete(li);
    else if (act === "delete-yes") deleteNote(li, note);
    else if (act === "delete-no") endEdit(li, "delete");
  });

  function offline() {
    if (socket.connected && S.welcomed) return false;
    say("You are offline just now. Try again when the connection is back.");
    return true;
  }

  function vote(note, target) {
    if (target.getAttribute("aria-disabled") === "true") {
      say(votesLeftLine.textContent);
      return;
    }
    if (target.getAttribute("aria-busy") === "true" || offline()) return;
    target.setAttribute("aria-busy", "true");
    socket.timeout(10000).emit("vote:toggle", { note_id: note.id }, function (error, answer) {
      target.removeAttribute("aria-busy");
      if (error || !answer) return say("The vote did not go through. Try again.");
      if (!answer.ok) return say(answer.error.message);
      S.votesLeft = answer.votes_left;
      upsert(answer.note, true);
      renderList();
      say(answer.voted ? "Voted. " + votesLeftLine.textContent : "Vote taken back. " + votesLeftLine.textContent);
    });
  }

  function startEdit(li, note) {
    li._editing = true;
    var box = el("div", "edit");
    var id = "edit-" + note.id;
    var label = el("label", "visually-hidden", "Text of your note");
    label.htmlFor = id;
    var area = el("textarea", "input edit__text");
    area.id = id;
    area.value = note.text;
    area.setAttribute("dir", "auto");
    area.setAttribute("aria-describedby", id + "-counter " + id + "-error");
    var count = el("p", "counter");
    count.id = id + "-counter";
    count.appendChild(el("span", "counter__used"));
    count.appendChild(document.createTextNode(" / "));
    count.appendChild(el("span", "counter__max"));
    count.appendChild(el("span", "visually-hidden", " characters"));
    count.appendChild(el("span", "counter__note"));
    var problem = el("p", "field__error edit__error");
    problem.id = id + "-error";
    problem.setAttribute("role", "alert");
    var buttons = el("div", "edit__actions");
    buttons.appendChild(button("Save", "save", "button button--small"));
    buttons.appendChild(button("Cancel", "cancel", "button button--secondary button--small"));
    box.appendChild(label);
    box.appendChild(area);
    box.appendChild(count);
    box.appendChild(problem);
    box.appendChild(buttons);
    $(".note__text", li).hidden = true;
    var actions = $(".note__actions", li);
    if (actions) actions.hidden = true;
    li.insertBefore(box, $(".note__foot", li));
    var paint = function () { paintCounter(count, area.value, S.settings.note_max_length); };
    area.addEventListener("input", function () { grow(area); paint(); });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape") endEdit(li, "edit");
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveEdit(li, note); }
    });
    paint();
    area.focus();
    grow(area);
  }

  function saveEdit(li, note) {
    var area = $(".edit__text", li);
    var problem = $(".edit__error", li);
    var text = cleanText(area.value);
    var limit = S.settings.note_max_length;
    problem.textContent = "";
    if (!text) { problem.textContent = "Write something, or delete the note instead."; return area.focus(); }
    if (length(text) > limit) { problem.textContent = "Notes can be up to " + limit + " characters; this one has " + length(text) + "."; return area.focus(); }
    if (!socket.connected || !S.welcomed) { problem.textContent = "You are offline just now. Your change is kept here: save again when the connection is back."; return; }
    socket.timeout(10000).emit("note:edit", { note_id: note.id, text: text }, function (error, answer) {
      if (error || !answer) { problem.textContent = "Not saved: the connection dropped. Try again."; return; }
      if (!answer.ok) { problem.textContent = answer.error.message; return; }
      upsert(answer.note, true);
      endEdit(li, "edit");
      say(answer.note.status === "pending" ? "Saved. It appears again once the facilitator approves it." : "Your note is saved.");
    });
  }

  function endEdit(li, focusAct) {
    li._editing = false;
    li._v = null;
    renderList();
    var again = li.querySelector('[data-act="' + focusAct + '"]');
    if (again) again.focus();
  }

  function askDelete(li) {
    li._editing = true;
    var actions = $(".note__actions", li);
    actions.textContent = "";
    actions.appendChild(el("span", "note__confirm", "Delete this note?"));
    actions.appendChild(button("Yes, delete", "delete-yes", "button button--danger button--small"));
    actions.appendChild(button("Keep it", "delete-no", "button button--secondary button--small")).focus();
  }

  function deleteNote(li, note) {
    if (offline()) return;
    socket.timeout(10000).emit("note:delete", { note_id: note.id }, function (error, answer) {
      if (error || !answer) return say("Not deleted: the connection dropped. Try again.");
      if (!answer.ok) return say(answer.error.message);
      var gone = Object.assign({}, note, { status: "removed", text: "" });
      S.notes.set(note.id, gone);
      li._editing = false;
      renderList();
      $("#notes-title").focus();
      say("Your note is deleted.");
    });
  }

  /* ---- sort ---- */
  var sortSelect = $("#sort");
  sortBox.hidden = false;
  sortSelect.value = S.sort;
  sortSelect.addEventListener("change", function () {
    S.sort = sortSelect.value === "votes" ? "votes" : "newest";
    store.set(KEY.sort, S.sort);
    renderList();
  });

  function renderAll() {
    renderPhase();
    updateCounter();
    renderName();
    renderOutbox();
    renderList();
    tick();
  }

  $(".compose__hint").hidden = !window.matchMedia("(pointer: fine)").matches;
  connPill.hidden = false;
  if (S.name && !nameInput.value) nameInput.value = S.name;
  renderPhase();
  renderName();
  renderOutbox();
  renderList();
  updateCounter();
  grow(textBox);
  tick();
  window.setInterval(tick, 1000);
})();
