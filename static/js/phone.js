/* Facilitate, the phone page: post notes, see everyone's live, vote, edit and delete one's own.
 *
 * No note is lost: a note goes into an outbox in localStorage before it is sent and leaves it only
 * when the server acknowledges it (docs/realtime.md). Without JavaScript the form still posts.
 * The rules are the server's: the page counts characters and shows the server's own sentences.
 * Text from people is only ever set with textContent.
 */
import { $, LiveClient, clock, el, store } from "./live.js";
import { language, t, tn } from "./i18n.js";

const page = document.getElementById("theme");
if (page && typeof window.io === "function") start(page); // else the plain form keeps working

function start(root) {
  var cfg = root.dataset;
  var code = cfg.code;
  var KINDS = { idea: t("Idea"), question: t("Question"), action: t("Action"), quote: t("Quote") };
  var RETRY_CODES = { unavailable: true, rate_limited: true, offline: true, no_answer: true };

  document.documentElement.classList.add("js");

  var KEY = {
    token: "facilitate:token:" + cfg.event,
    name: "facilitate:name:" + cfg.event,
    posted: "facilitate:posted:" + cfg.event,
    outbox: "facilitate:outbox:" + code,
    draft: "facilitate:draft:" + code,
    sort: "facilitate:sort",
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
    token: store.get(KEY.token, null),
    name: store.get(KEY.name, null), // null: never set on this phone
    posted: store.get(KEY.posted, false),
    outbox: store.get(KEY.outbox, []),
    notes: new Map(), // id -> NOTE, removed ones kept as tombstones so a late update cannot revive them
    sending: null, // client_id of the note on its way
    votesLeft: null,
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

  /* ---- connection: the shared live client ---- */
  var live = new LiveClient({
    auth: function () { return { code: code, token: S.token, name: S.name || null }; },
    pill: { element: connPill, label: $(".conn__label", connPill) },
    handlers: {
      welcome: onWelcome,
      note: function (note, how) { onNote(note, how.personal); },
      synced: function () { renderList(); },
      theme: function (theme) { applyTheme(theme); renderAll(); },
      presence: setPresence,
      written: function (count) { S.written = count; renderSilence(); },
      state: function () {
        if (!live.connected) S.sending = null;
        renderOutbox();
        renderList();
      },
      refused: say,
    },
  });
  live.setClock(cfg.now);

  function onWelcome(welcome, how) {
    var participant = welcome.participant;
    S.token = participant.token;
    store.set(KEY.token, S.token);
    S.serverName = participant.name || "";
    if (S.name === null) S.name = S.serverName;
    applyTheme(welcome.theme);
    if (how.stale) welcome.notes.forEach(function (note) { upsert(note, true); });
    else {
      S.notes = new Map();
      welcome.notes.forEach(function (note) { S.notes.set(note.id, note); });
    }
    S.votesLeft = welcome.votes_left;
    if (typeof welcome.written === "number") S.written = welcome.written;
    setPresence(welcome.presence);
    S.outbox.filter(stored).forEach(function (item) { dropFromOutbox(item.client_id); });
    if (!S.posted && ownNotes()) setPosted();
    if (how.first) {
      Array.prototype.slice.call(list.children).forEach(function (child) { if (!child._v) child.remove(); });
    }
    // What the welcome brings is the page as it stands, not news: nothing fades in.
    S.quiet = true;
    renderAll();
    S.quiet = false;
    syncName(flushOutbox);
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
    if (note.mine) dropFromOutbox(note.client_id);
    return !old || !shown(old);
  }

  function onNote(note, personal) {
    var isNew = upsert(note, personal);
    if (personal) { renderList(); return; }
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
      if (S.fresh) announcer.textContent = tn("{n} new note", "{n} new notes", S.fresh);
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
    if (was !== S.phase && live.everWelcomed && S.phase === "open") say(t("The discussion is open: you can post now."));
    S.step = theme.step || null;
    renderSilence();
    tick();
  }

  /* Writing in silence, and the step of the sequence the facilitator runs, in plain words. */
  var STEP_WORDS = {
    write: t("Write in silence: nobody sees your notes until the facilitator reveals them."),
    reveal: t("The notes are revealed: read what everyone wrote."),
    vote: t("Vote for the notes that matter most. The counts stay hidden until the reveal."),
    results: t("The votes are revealed. Sort by most votes to see the ranking."),
    discuss: t("Discuss the notes with the most votes."),
  };
  function renderSilence() {
    var line = $(".step-line");
    var words = S.phase === "open" ? STEP_WORDS[S.step] || "" : "";
    if (S.settings.notes_private) {
      var count = S.written || 0;
      words = (words || t("Write in silence: you see only your own notes.")) + " " +
        tn("{n} note written so far.", "{n} notes written so far.", count);
    }
    line.textContent = words;
    line.hidden = !words;
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
    document.querySelectorAll("[data-names]").forEach(function (hint) {
      hint.hidden = (hint.getAttribute("data-names") === "required") !== S.settings.names_required;
    });
  }

  function setPresence(count) {
    if (typeof count !== "number") return;
    presence.hidden = false;
    $(".presence__count", presence).textContent = count;
  }

  function tick() {
    if (!S.timerEnds) { timer.hidden = true; return; }
    var left = Math.round((Date.parse(S.timerEnds) - live.now()) / 1000);
    timer.hidden = false;
    timer.classList.toggle("timer--up", left <= 0);
    $(".timer__text", timer).textContent = left > 0 ? t("{time} left", { time: clock(left) }) : t("Time is up");
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

  /* Send the oldest waiting note, then the next: one at a time keeps them in the order written.
   * A note the server refused for good stays in the outbox as its own note, marked, never joined
   * with another: the participant can copy it or discard it. */
  function waitingToSend() {
    return S.outbox.filter(function (item) { return !item.refused; });
  }
  function flushOutbox() {
    var waiting = waitingToSend();
    if (!live.connected || S.sending || !waiting.length) return;
    var item = waiting[0];
    S.sending = item.client_id;
    renderList();
    live.emit("note:add", { client_id: item.client_id, text: item.text, kind: item.kind }).then(function (answer) {
      if (S.sending === item.client_id) S.sending = null;
      if (answer.ok) {
        dropFromOutbox(item.client_id);
        live.acknowledged(answer.note);
        setPosted();
        say(answer.note.status === "pending"
          ? t("Your note is posted. It appears to everyone once the facilitator approves it.")
          : t("Your note is posted."));
        flushOutbox();
      } else if (RETRY_CODES[answer.error.code]) {
        if (answer.error.code === "rate_limited") say(answer.error.message);
        retryLater(answer.error.code === "rate_limited" ? 20000 : 3000);
      } else {
        refuse(item, answer.error);
        flushOutbox();
      }
      renderList();
      renderOutbox();
    });
  }

  /* A refused note goes back into an empty box with the server's reason beside it; when the box
   * holds something else, it stays in the list as "Not sent", so nothing typed is lost. */
  function refuse(item, error) {
    var closed = error.code === "theme_closed";
    if (!closed && !textBox.value.trim()) {
      dropFromOutbox(item.client_id);
      textBox.value = item.text;
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
    } else {
      item.refused = error;
      saveOutbox();
    }
    say(t("Not posted: {reason}", { reason: error.message }));
  }

  function renderOutbox() {
    var items = waitingToSend();
    var waiting = items.length;
    var show = waiting > 0 && (!live.connected || items.some(function (item) { return Date.now() - item.sent_at > 3000; }));
    outboxLine.hidden = !show;
    if (show) {
      $(".outbox__text", outboxLine).textContent = tn("{n} note waiting to send", "{n} notes waiting to send", waiting);
    }
  }
  window.setInterval(renderOutbox, 2000);

  $(".outbox__retry").addEventListener("click", function () {
    if (!live.connected) {
      say(t("Still offline. Your notes are kept on this phone and will be sent as soon as the connection is back."));
      live.hurry();
      return;
    }
    flushOutbox();
    say(t("Sending…"));
  });

  /* ---- posting ---- */
  function post(event) {
    if (event) event.preventDefault();
    clearErrors();
    if (S.phase !== "open") {
      // The page already says why, in the server's words: the note stays in the box meanwhile.
      var why = $('[data-for-phase="' + S.phase + '"]');
      say(why ? why.textContent.trim() : "");
      return;
    }
    var text = cleanText(textBox.value);
    if (!text) {
      // Nothing to keep: ask the server, whose sentence says what is wrong.
      if (!live.connected) { textBox.focus(); return; }
      live.emit("note:add", { client_id: uuid(), text: "" }).then(function (answer) {
        if (!answer.ok) fieldError("text", answer.error.message);
      });
      return;
    }
    var name = nameField.hidden ? S.name || "" : cleanLine(nameInput.value);
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
    say(live.connected ? t("Sending your note…") : t("Your note is kept on this phone and will be sent when the connection is back."));
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
    if (S.name === null || !live.connected || S.name === S.serverName) { then(); return; }
    nameQueue = [then];
    live.emit("profile:update", { name: S.name }, 10000).then(function (answer) {
      var waiting = nameQueue;
      nameQueue = null;
      if (answer.ok) {
        S.serverName = answer.participant.name || "";
      } else if (!RETRY_CODES[answer.error.code]) {
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
      $(".name-known__text", nameKnown).textContent = S.name ? t("Posting as {name}.", { name: S.name }) : t("Posting anonymously.");
      $(".name-known__change", nameKnown).textContent = S.name ? t("Change") : t("Add your name");
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
  /* The server decides whether a name may be left empty: while it is reachable the choice is
   * saved there first and its refusal shown as it words it; offline, the next post carries it. */
  function finishName() {
    var name = cleanLine(nameInput.value);
    function done() {
      clearError("name");
      naming = false;
      setName(name);
      say(name ? t("Your name is saved: your notes from now on show “{name}”.", { name: name }) : t("You are posting anonymously."));
      $(".name-known__change").focus();
    }
    if (!live.connected || nameQueue) { done(); syncName(function () {}); return; }
    live.emit("profile:update", { name: name }, 10000).then(function (answer) {
      if (answer.ok) { S.serverName = answer.participant.name || ""; done(); return; }
      if (RETRY_CODES[answer.error.code]) { done(); syncName(function () {}); return; }
      fieldError("name", answer.error.message);
    });
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
    if (used > limit) return { used: used, cls: "counter--over", note: " · " + t("{n} too many", { n: used - limit }) };
    if (used >= limit * 0.9) return { used: used, cls: "counter--near", note: " · " + t("{n} left", { n: limit - used }) };
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
        ? t("Too long: {n} characters over the limit.", { n: state.used - S.settings.note_max_length })
        : t("{n} characters left.", { n: S.settings.note_max_length - state.used });
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

  function canVote() { return S.phase === "open" && S.settings.votes_per_participant > 0 && !S.settings.notes_private; }

  function version(entry) {
    if (entry.item) return "o|" + (S.sending === entry.item.client_id) + "|" + live.state + "|" + Boolean(entry.item.refused);
    var n = entry.note;
    return [n.seq, n.mine, n.voted, n.status, S.phase, canVote(), S.votesLeft > 0].join("|");
  }

  function renderList() {
    if (!live.everWelcomed && !S.outbox.length) return;
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
        if (!S.quiet && live.connected && entry.note && !entry.note.mine && list.children.length) {
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
      empty.textContent = S.phase === "closed" ? t("No notes were posted.")
        : S.settings.notes_private ? t("Your notes show here. Everyone’s appear when the facilitator reveals them.")
        : t("No notes yet. Be the first!");
      list.appendChild(empty);
    } else if (wanted.length && empty) {
      empty.remove();
    }
    if (focused && focused !== document.activeElement && focused.isConnected) focused.focus();
    if (live.everWelcomed) $(".notes-count").textContent = "(" + wanted.length + ")";
    renderVotesLeft();
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
    meta.appendChild(el("span", "note__kind", KINDS[data.kind] || KINDS.idea));
    meta.appendChild(document.createTextNode(" · "));
    if (mine) meta.appendChild(el("span", "badge", t("You")));
    else meta.appendChild(document.createTextNode(note.author || t("Anonymous")));
    if (item || pending) {
      meta.appendChild(document.createTextNode(" · "));
      var state = item ? outboxState(item) : t("Waiting for the facilitator");
      meta.appendChild(el("span", "note__state" + (item && item.refused ? " note__state--refused" : ""), state));
    } else {
      meta.appendChild(document.createTextNode(" · "));
      var time = el("time", "note__time", ago(note.created_at));
      time.dateTime = note.created_at;
      meta.appendChild(time);
    }
    if (note && note.people > 1) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(el("span", "note__people", tn("raised by {n} person", "raised by {n} people", note.people)));
    }
    foot.appendChild(meta);
    if (note && note.status === "visible") foot.appendChild(votes(note));
    li.appendChild(foot);

    if (item && item.refused) {
      var choices = el("div", "note__actions");
      choices.appendChild(button(t("Copy"), "copy")).setAttribute("aria-label", t("Copy the note that was not sent"));
      choices.appendChild(button(t("Discard"), "discard")).setAttribute("aria-label", t("Discard the note that was not sent"));
      li.appendChild(choices);
    }

    if (note && mine && S.phase === "open") {
      var actions = el("div", "note__actions");
      actions.appendChild(button(t("Edit"), "edit")).setAttribute("aria-label", t("Edit your note"));
      actions.appendChild(button(t("Delete"), "delete")).setAttribute("aria-label", t("Delete your note"));
      li.appendChild(actions);
    }
  }

  function outboxState(item) {
    if (item.refused) {
      return item.refused.code === "theme_closed" ? t("Not sent: the discussion closed") : t("Not sent: {reason}", { reason: item.refused.message });
    }
    return S.sending === item.client_id && live.state === "live" ? t("Sending…") : t("Waiting to send");
  }

  function votes(note) {
    var count = " " + tn("vote", "votes", note.votes);
    var hidden = note.votes === null; // counts withheld until the facilitator reveals them
    if (hidden && (note.mine || !canVote())) return el("p", "votes votes--hidden", t("Votes hidden"));
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
    b.appendChild(el("span", "visually-hidden", t("Vote,") + " "));
    if (hidden) b.appendChild(el("span", "vote__count", note.voted ? t("Voted") : t("Vote")));
    else {
      b.appendChild(el("span", "vote__count", String(note.votes)));
      b.appendChild(el("span", "visually-hidden", count));
    }
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
      ? tn("You have used your vote. Take it back to vote for another note.",
        "You have used all {n} of your votes. Take one back to vote for another note.", per)
      : tn("You have {left} of {n} vote left. Tap ▲ on a note you agree with.",
        "You have {left} of {n} votes left. Tap ▲ on a note you agree with.", per, { left: S.votesLeft });
  }

  function ago(iso) {
    var seconds = Math.max(0, (live.now() - Date.parse(iso)) / 1000);
    if (seconds < 60) return t("just now");
    if (seconds < 3600) return t("{n} min ago", { n: Math.floor(seconds / 60) });
    if (seconds < 86400) return t("{n} h ago", { n: Math.floor(seconds / 3600) });
    return language === "en" ? new Date(iso).toLocaleDateString() : new Date(iso).toLocaleDateString(language);
  }
  window.setInterval(function () {
    list.querySelectorAll("time").forEach(function (t) { t.textContent = ago(t.dateTime); });
  }, 30000);

  /* ---- actions on notes: vote, edit, delete ---- */
  list.addEventListener("click", function (event) {
    var target = event.target.closest("[data-act]");
    if (!target) return;
    var li = target.closest("li");
    var act = target.getAttribute("data-act");
    var item = li && li._entry && li._entry.item;
    if (item && act === "copy") return copyRefused(item);
    if (item && act === "discard") return discardRefused(item);
    var note = li && li._entry && li._entry.note;
    if (!note) return;
    if (act === "vote") vote(note, target);
    else if (act === "edit") startEdit(li, note);
    else if (act === "save") saveEdit(li, note);
    else if (act === "cancel") endEdit(li, "edit");
    else if (act === "delete") askDelete(li);
    else if (act === "delete-yes") deleteNote(li, note);
    else if (act === "delete-no") endEdit(li, "delete");
  });

  function copyRefused(item) {
    var done = function () { say(t("Copied. You can paste the note wherever you like.")); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(item.text).then(done, function () { putInBox(item); });
    } else {
      putInBox(item);
    }
  }
  /* Without a clipboard (a plain http page), the text goes into the box, selected, to copy from. */
  function putInBox(item) {
    var current = textBox.value.trim();
    if (current && current !== item.text) { say(t("Empty the box first, then press Copy again.")); return; }
    textBox.value = item.text;
    grow(textBox);
    updateCounter();
    textBox.focus();
    textBox.select();
    say(t("The note is in the box, selected: copy it from there."));
  }
  function discardRefused(item) {
    dropFromOutbox(item.client_id);
    renderList();
    $("#notes-title").focus();
    say(t("The note that was not sent is discarded."));
  }

  function offline() {
    if (live.connected) return false;
    say(t("You are offline just now. Try again when the connection is back."));
    return true;
  }

  function vote(note, target) {
    if (target.getAttribute("aria-disabled") === "true") {
      say(votesLeftLine.textContent);
      return;
    }
    if (target.getAttribute("aria-busy") === "true" || offline()) return;
    target.setAttribute("aria-busy", "true");
    live.emit("vote:toggle", { note_id: note.id }, 10000).then(function (answer) {
      target.removeAttribute("aria-busy");
      if (!answer.ok) return say(answer.error.message);
      S.votesLeft = answer.votes_left;
      live.acknowledged(answer.note);
      renderList();
      say((answer.voted ? t("Voted.") : t("Vote taken back.")) + " " + votesLeftLine.textContent);
    });
  }

  function startEdit(li, note) {
    li._editing = true;
    var box = el("div", "edit");
    var id = "edit-" + note.id;
    var label = el("label", "visually-hidden", t("Text of your note"));
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
    count.appendChild(el("span", "visually-hidden", " " + t("characters")));
    count.appendChild(el("span", "counter__note"));
    var problem = el("p", "field__error edit__error");
    problem.id = id + "-error";
    problem.setAttribute("role", "alert");
    var buttons = el("div", "edit__actions");
    buttons.appendChild(button(t("Save"), "save", "button button--small"));
    buttons.appendChild(button(t("Cancel"), "cancel", "button button--secondary button--small"));
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
    problem.textContent = "";
    if (!live.connected) { problem.textContent = t("You are offline just now. Your change is kept here: save again when the connection is back."); return; }
    live.emit("note:edit", { note_id: note.id, text: text }, 10000).then(function (answer) {
      if (!answer.ok) { problem.textContent = answer.error.message; area.focus(); return; }
      live.acknowledged(answer.note);
      endEdit(li, "edit");
      say(answer.note.status === "pending" ? t("Saved. It appears again once the facilitator approves it.") : t("Your note is saved."));
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
    actions.appendChild(el("span", "note__confirm", t("Delete this note?")));
    actions.appendChild(button(t("Yes, delete"), "delete-yes", "button button--danger button--small"));
    actions.appendChild(button(t("Keep it"), "delete-no", "button button--secondary button--small")).focus();
  }

  function deleteNote(li, note) {
    if (offline()) return;
    live.emit("note:delete", { note_id: note.id }, 10000).then(function (answer) {
      if (!answer.ok) return say(answer.error.message);
      var gone = Object.assign({}, note, { status: "removed", text: "" });
      S.notes.set(note.id, gone);
      li._editing = false;
      renderList();
      $("#notes-title").focus();
      say(t("Your note is deleted."));
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
}
