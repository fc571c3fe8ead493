/* Facilitate, the wall: every visible note of a theme, live, grouped into the facilitator's
 * clusters, for a projector. Read-only; text from people is only ever set with textContent. */
import { t, tn } from "./i18n.js";
import { $, LiveClient, clock, el } from "./live.js";
import { schemeSwitch, wakeControlsOnMouse } from "./screen.js";
import { createBoard, paint } from "./wall-board.js";

const wallRoot = document.getElementById("wall");
if (wallRoot && typeof window.io === "function") start(wallRoot);

function start(root) {
  var cfg = root.dataset;

  var S = {
    phase: cfg.phase,
    clusters: [],
    notes: new Map(), // id -> NOTE; removed ones stay as tombstones
    timerEnds: cfg.timerEnds || null,
    welcomed: false,
    private: false, // writing in silence: no notes reach the wall, only how many
    written: 0,
    step: null,
  };

  var board = $(".wall__board");
  var status = $(".wall__status");

  /* ---- connection: the shared live client ---- */
  var live = new LiveClient({
    auth: function () { return { wall: cfg.token }; },
    pill: { element: status, label: $(".wall__status-text", status) },
    handlers: {
      welcome: onWelcome,
      note: function (note) { onNote(note); },
      clusters: function (clusters) { S.clusters = clusters; render(null); },
      theme: function (theme) { applyTheme(theme); render(null); },
      presence: setPresence,
      written: function (count) { S.written = count; render(null); },
      refused: function (message) { $(".wall__status-text", status).textContent = message; },
    },
  });
  live.setClock(cfg.now);

  function onWelcome(welcome, how) {
    var known = S.welcomed ? S.notes : null;
    applyTheme(welcome.theme);
    if (how.stale) {
      welcome.notes.forEach(function (note) { keep(note); });
    } else {
      S.notes = new Map();
      welcome.notes.forEach(function (note) { S.notes.set(note.id, note); });
    }
    setPresence(welcome.presence);
    if (typeof welcome.written === "number") S.written = welcome.written;
    render(function (note) { return known !== null && !(known.has(note.id) && shown(known.get(note.id))); });
    S.welcomed = true;
  }

  /* Keep the newer of two versions of a note; true when this one is newer. */
  function keep(note) {
    var old = S.notes.get(note.id);
    if (old && note.seq <= old.seq) return false;
    S.notes.set(note.id, note);
    return true;
  }

  function onNote(note) {
    var old = S.notes.get(note.id);
    if (!keep(note)) return;
    render(function (n) { return n.id === note.id && !(old && shown(old)); });
  }

  /* ---- theme ---- */
  function applyTheme(theme) {
    S.phase = theme.phase;
    S.view = theme.wall || { mode: "all" };
    S.clusters = theme.clusters || [];
    S.timerEnds = theme.timer ? theme.timer.ends_at : null;
    S.private = Boolean(theme.settings && theme.settings.notes_private);
    S.step = theme.step || null;
    var step = $(".wall__step");
    step.textContent = STEP_WORDS[S.step] || "";
    step.hidden = !STEP_WORDS[S.step] || S.phase !== "open";
    $(".wall__theme").textContent = theme.title;
    var prompt = $(".wall__prompt");
    if (prompt) prompt.textContent = theme.prompt;
    document.title = t("{title} – wall – Facilitate", { title: theme.title });
    document.querySelectorAll("[data-for-phase]").forEach(function (el) {
      el.hidden = el.getAttribute("data-for-phase") !== S.phase;
    });
    tick();
  }

  function setPresence(count) {
    if (typeof count !== "number") return;
    var el = $(".wall__presence");
    el.hidden = false;
    el.textContent = tn("{n} person here", "{n} people here", count);
  }

  function tick() {
    var timer = $(".wall__timer");
    if (!S.timerEnds) { timer.hidden = true; return; }
    var left = Math.round((Date.parse(S.timerEnds) - live.now()) / 1000);
    timer.hidden = false;
    timer.classList.toggle("wall__timer--up", left <= 0);
    $(".wall__timer-text", timer).textContent = left > 0 ? clock(left) : t("Time is up");
  }
  window.setInterval(tick, 1000);

  var STEP_WORDS = {
    write: t("Write in silence: your notes stay on your phone until the reveal."),
    reveal: t("Read everyone’s notes."),
    vote: t("Vote for the notes that matter most. The counts stay hidden until the reveal."),
    results: t("The votes are in: the notes with the most votes."),
    discuss: t("Discuss the notes with the most votes."),
  };

  /* ---- board: every visible note, in pages that turn by themselves when they need more room ---- */
  function shown(note) { return note.status === "visible"; }

  var indicator = $(".wall__page");
  var lastPage = -1;
  var wall = createBoard(board, { onPage: onPage });

  function onPage(index, count) {
    indicator.hidden = count <= 1;
    indicator.textContent = t("Page {number} of {total}", { number: index + 1, total: count });
    if (index !== lastPage && lastPage >= 0 && count > 1) {
      board.classList.remove("wall__board--turn");
      void board.offsetWidth; // restart the turn for the next page
      board.classList.add("wall__board--turn");
    }
    lastPage = index;
  }

  function newestFirst(a, b) {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
    return b.id - a.id;
  }

  /* Lay the board out again; ``isNew(note)`` says which notes fade in and are brought forward. */
  function render(isNew) {
    var clusters = S.clusters.slice().sort(function (a, b) { return a.position - b.position; });
    var order = clusters.map(function (c) { return { key: "c" + c.id, title: c.title, notes: [] }; });
    order.push({ key: "new", title: clusters.length ? t("New") : t("Notes"), notes: [] });
    var byKey = {};
    order.forEach(function (o) { byKey[o.key] = o; });

    var total = 0;
    var arrived = [];
    S.notes.forEach(function (note) {
      if (!shown(note)) return;
      total += 1;
      (byKey["c" + note.cluster_id] || byKey.new).notes.push(note);
      if (prepare(note, isNew)) arrived.push(note.id);
    });
    wall.elements.forEach(function (li, id) {
      var note = S.notes.get(id);
      if (!note || !shown(note)) { li.remove(); wall.elements.delete(id); }
    });
    order.forEach(function (o) { o.notes.sort(newestFirst); });
    var empty = S.phase === "closed" ? t("No notes were posted.") : t("Scan the code or type the address to post the first note.");
    if (S.private) {
      empty = tn(
        "{n} note written so far. They appear here when the facilitator reveals them.",
        "{n} notes written so far. They appear here when the facilitator reveals them.",
        S.written
      );
      $(".wall__count").textContent = tn("{n} note written", "{n} notes written", S.written);
      wall.update([{ key: "new", title: t("Written in silence"), notes: [] }], [], empty);
      return;
    }
    wall.update(steered(order, byKey), arrived, total ? "" : empty);
    $(".wall__count").textContent = tn("{n} note", "{n} notes", total);
  }

  /* What the facilitator chose to show: everything, the newest notes, one heading, or one note in
   * the spotlight (then the board gives way to it). A heading or note that has gone shows all. */
  var NEWEST = 12;
  var spotlight = $(".wall__spotlight");
  function steered(order, byKey) {
    var view = S.view || { mode: "all" };
    var spot = view.mode === "note" ? S.notes.get(view.note_id) : null;
    var inSpotlight = Boolean(spot && shown(spot));
    showSpotlight(inSpotlight ? spot : null);
    if (inSpotlight) return []; // the board is out of sight: nothing to lay out or page through
    if (view.mode === "newest") {
      var all = [];
      order.forEach(function (o) { all = all.concat(o.notes); });
      all.sort(function (a, b) { return a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id; });
      return [{ key: "newest", title: t("The newest notes"), notes: all.slice(0, NEWEST) }];
    }
    if (view.mode === "heading" && byKey["c" + view.cluster_id]) return [byKey["c" + view.cluster_id]];
    var top = S.step === "results" ? ranked(order) : [];
    if (top.length) return [{ key: "ranked", title: t("Most votes"), notes: top }];
    return order;
  }
  /* After the votes are revealed: the notes with the most votes, most first. */
  var RANKED = 10;
  function ranked(order) {
    var all = [];
    order.forEach(function (o) { all = all.concat(o.notes); });
    all = all.filter(function (n) { return n.votes > 0; });
    all.sort(function (a, b) { return b.votes - a.votes || a.id - b.id; });
    return all.slice(0, RANKED);
  }
  function showSpotlight(note) {
    spotlight.hidden = !note;
    root.classList.toggle("wall--spotlight", Boolean(note));
    if (!note) return;
    $(".wall__spotlight-text", spotlight).textContent = note.text;
    var meta = [];
    if (note.author) meta.push(note.author);
    if (note.people > 1) meta.push(tn("{n} person made this point", "{n} people made this point", note.people));
    if (note.votes > 0) meta.push(tn("{n} vote", "{n} votes", note.votes));
    $(".wall__spotlight-meta", spotlight).textContent = meta.join(" · ");
  }

  /* The note's <li>, painted when it changed; true when the note has just arrived. */
  function prepare(note, isNew) {
    var li = wall.elements.get(note.id);
    if (!li) {
      li = el("li");
      li.setAttribute("data-note", note.id);
      wall.elements.set(note.id, li);
    }
    var version = [note.seq, note.text, note.pinned, note.votes, note.people].join("|");
    if (li._v !== version) { paint(li, note); li._v = version; }
    if (!(isNew && isNew(note))) return false;
    li.classList.remove("wall-note--new");
    void li.offsetWidth; // restart the fade for a note seen again
    li.classList.add("wall-note--new");
    window.setTimeout(function () { li.classList.remove("wall-note--new"); }, 8000);
    return true;
  }

  var resizing = null;
  function relayout() {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { wall.relayout(); }, 150);
  }
  window.addEventListener("resize", relayout);

  /* ---- controls: scheme, full screen; shown while the mouse moves or a control has focus ---- */
  var body = document.body;
  var schemeButton = $(".wall__scheme");
  schemeSwitch(body, schemeButton);

  var fullButton = $(".wall__fullscreen");
  if (document.fullscreenEnabled) {
    fullButton.hidden = false;
    fullButton.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", function () {
      fullButton.textContent = document.fullscreenElement ? t("Leave full screen") : t("Full screen");
      relayout();
    });
  }

  wakeControlsOnMouse(body);
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "l" || event.key === "L") schemeButton.click();
    else if ((event.key === "f" || event.key === "F") && !fullButton.hidden) fullButton.click();
    // A presenter's clicker sends Page Down and Page Up: the facilitator turns the pages by hand.
    else if (event.key === "PageDown" || event.key === "ArrowRight") { event.preventDefault(); wall.turn(1); }
    else if (event.key === "PageUp" || event.key === "ArrowLeft") { event.preventDefault(); wall.turn(-1); }
  });

  tick();
}
