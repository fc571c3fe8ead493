/* Facilitate, the wall: every visible note of a theme, live, grouped into the facilitator's
 * clusters, for a projector. Read-only; text from people is only ever set with textContent. */
import { $, LiveClient, clock, el } from "./live.js";

const wallRoot = document.getElementById("wall");
if (wallRoot && typeof window.io === "function") start(wallRoot);

function start(root) {
  var cfg = root.dataset;
  var KINDS = { question: "Question", action: "Action", quote: "Quote" };
  var SCHEME_KEY = "facilitate:wall-scheme";

  var S = {
    phase: cfg.phase,
    clusters: [],
    notes: new Map(), // id -> NOTE; removed ones stay as tombstones
    timerEnds: cfg.timerEnds || null,
    welcomed: false,
  };

  var board = $(".wall__board");
  var status = $(".wall__status");
  var columns = new Map(); // "new" or "c<id>" -> {section, list, title, count, more}
  var elements = new Map(); // note id -> <li>

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
    S.clusters = theme.clusters || [];
    S.timerEnds = theme.timer ? theme.timer.ends_at : null;
    $(".wall__theme").textContent = theme.title;
    var prompt = $(".wall__prompt");
    if (prompt) prompt.textContent = theme.prompt;
    document.title = theme.title + " – wall – Facilitate";
    document.querySelectorAll("[data-for-phase]").forEach(function (el) {
      el.hidden = el.getAttribute("data-for-phase") !== S.phase;
    });
    tick();
  }

  function setPresence(count) {
    if (typeof count !== "number") return;
    var el = $(".wall__presence");
    el.hidden = false;
    el.textContent = count === 1 ? "1 person here" : count + " people here";
  }

  function tick() {
    var timer = $(".wall__timer");
    if (!S.timerEnds) { timer.hidden = true; return; }
    var left = Math.round((Date.parse(S.timerEnds) - live.now()) / 1000);
    timer.hidden = false;
    timer.classList.toggle("wall__timer--up", left <= 0);
    $(".wall__timer-text", timer).textContent = left > 0 ? clock(left) : "Time is up";
  }
  window.setInterval(tick, 1000);

  /* ---- board ---- */
  function shown(note) { return note.status === "visible"; }

  function column(key, title) {
    var col = columns.get(key);
    if (!col) {
      var section = el("section", "wall-col" + (key === "new" ? " wall-col--new" : ""));
      var heading = el("h2", "wall-col__head");
      heading.id = "col-" + key;
      section.setAttribute("aria-labelledby", heading.id);
      var name = el("span", "wall-col__title");
      var count = el("span", "wall-col__count");
      heading.appendChild(name);
      heading.appendChild(document.createTextNode(" "));
      heading.appendChild(count);
      var list = el("ol", "wall-col__notes");
      var more = el("p", "wall-col__more");
      more.hidden = true;
      section.appendChild(heading);
      section.appendChild(list);
      section.appendChild(more);
      col = { section: section, list: list, name: name, count: count, more: more };
      columns.set(key, col);
    }
    col.name.textContent = title;
    return col;
  }

  function newestFirst(a, b) {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
    return b.id - a.id;
  }

  /* Lay the board out again; ``isNew(note)`` says which notes fade in. */
  function render(isNew) {
    var clusters = S.clusters.slice().sort(function (a, b) { return a.position - b.position; });
    var order = clusters.map(function (c) { return { key: "c" + c.id, title: c.title, id: c.id }; });
    order.push({ key: "new", title: clusters.length ? "New" : "Notes", id: null });
    var known = {};
    clusters.forEach(function (c) { known[c.id] = true; });

    var groups = {};
    order.forEach(function (o) { groups[o.key] = []; });
    var total = 0;
    S.notes.forEach(function (note) {
      if (!shown(note)) return;
      total += 1;
      groups[known[note.cluster_id] ? "c" + note.cluster_id : "new"].push(note);
    });

    var wantedColumns = {};
    var previous = null;
    order.forEach(function (o) {
      var col = column(o.key, o.title);
      wantedColumns[o.key] = true;
      var spot = previous ? previous.nextSibling : board.firstChild;
      if (spot !== col.section) board.insertBefore(col.section, spot);
      previous = col.section;
      var notes = groups[o.key].sort(newestFirst);
      col.count.textContent = notes.length ? "(" + notes.length + ")" : "";
      fillColumn(col, notes, isNew);
    });
    columns.forEach(function (col, key) {
      if (!wantedColumns[key]) { col.section.remove(); columns.delete(key); }
    });
    elements.forEach(function (li, id) {
      var note = S.notes.get(id);
      if (!note || !shown(note)) { li.remove(); elements.delete(id); }
    });
    board.setAttribute("data-columns", Math.min(order.length, 6));
    var newCol = columns.get("new");
    var empty = $(".wall__empty", board);
    if (!total && !empty) {
      empty = el("p", "wall__empty", S.phase === "closed" ? "No notes were posted." : "Scan the code or type the address to post the first note.");
      newCol.list.appendChild(empty);
    } else if (total && empty) {
      empty.remove();
    }
    $(".wall__count").textContent = total === 1 ? "1 note" : total + " notes";
    window.requestAnimationFrame(clip);
  }

  function fillColumn(col, notes, isNew) {
    var previous = null;
    notes.forEach(function (note) {
      var li = elements.get(note.id);
      if (!li) {
        li = el("li");
        elements.set(note.id, li);
      }
      var version = [note.seq, note.text, note.pinned, note.votes, note.people].join("|");
      if (li._v !== version) { paint(li, note); li._v = version; }
      if (isNew && isNew(note)) {
        li.classList.remove("wall-note--new");
        void li.offsetWidth; // restart the fade for a note seen again
        li.classList.add("wall-note--new");
        window.setTimeout(function () { li.classList.remove("wall-note--new"); }, 8000);
      }
      var spot = previous ? previous.nextSibling : col.list.firstChild;
      if (spot !== li) col.list.insertBefore(li, spot);
      previous = li;
    });
  }

  function paint(li, note) {
    var fresh = li.classList.contains("wall-note--new");
    li.className = "wall-note wall-note--" + note.kind + (note.pinned ? " wall-note--pinned" : "") + (fresh ? " wall-note--new" : "");
    li.textContent = "";
    var text = el("p", "wall-note__text", note.text);
    text.setAttribute("dir", "auto");
    li.appendChild(text);
    var meta = el("p", "wall-note__meta");
    if (note.pinned) {
      var pin = el("span", "wall-note__pin");
      pin.appendChild(el("span", null, "★")).setAttribute("aria-hidden", "true");
      pin.appendChild(el("span", "visually-hidden", "Pinned"));
      meta.appendChild(pin);
    }
    if (KINDS[note.kind]) meta.appendChild(el("span", "wall-note__kind", KINDS[note.kind]));
    if (note.author) meta.appendChild(el("span", "wall-note__author", note.author));
    if (note.votes > 0) {
      var votes = el("span", "wall-note__votes");
      votes.appendChild(el("span", null, "▲")).setAttribute("aria-hidden", "true");
      votes.appendChild(document.createTextNode(" " + note.votes));
      votes.appendChild(el("span", "visually-hidden", note.votes === 1 ? " vote" : " votes"));
      meta.appendChild(votes);
    }
    if (note.people > 1) {
      var people = el("span", "wall-note__people", "×" + note.people);
      people.setAttribute("title", note.people + " people made this point");
      people.setAttribute("aria-label", note.people + " people made this point");
      people.setAttribute("role", "img");
      meta.appendChild(people);
    }
    if (meta.childNodes.length) li.appendChild(meta);
  }

  /* Notes that do not fit below the fold are hidden whole and counted: the newest stay in view. */
  var scrolling = window.matchMedia("(max-width: 45em)");
  function clip() {
    columns.forEach(function (col) {
      if (scrolling.matches) { col.more.hidden = true; return; }
      var limit = col.list.clientHeight;
      var hidden = 0;
      Array.prototype.forEach.call(col.list.children, function (li) {
        li.classList.remove("is-clipped");
        if (li.offsetTop + li.offsetHeight > limit + 1) { li.classList.add("is-clipped"); hidden += 1; }
      });
      col.more.hidden = !hidden;
      col.more.textContent = hidden ? "+ " + hidden + " more" : "";
    });
  }
  window.addEventListener("resize", function () { window.requestAnimationFrame(clip); });

  /* ---- controls: scheme, full screen; shown while the mouse moves or a control has focus ---- */
  var body = document.body;
  var schemeButton = $(".wall__scheme");
  function setScheme(scheme) {
    body.setAttribute("data-scheme", scheme);
    schemeButton.setAttribute("aria-pressed", scheme === "light" ? "true" : "false");
    try { window.localStorage.setItem(SCHEME_KEY, scheme); } catch (e) { /* not kept */ }
  }
  var saved = null;
  try { saved = window.localStorage.getItem(SCHEME_KEY); } catch (e) { /* none */ }
  setScheme(saved === "light" ? "light" : "dark");
  schemeButton.addEventListener("click", function () {
    setScheme(body.getAttribute("data-scheme") === "light" ? "dark" : "light");
  });

  var fullButton = $(".wall__fullscreen");
  if (document.fullscreenEnabled) {
    fullButton.hidden = false;
    fullButton.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", function () {
      fullButton.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
      window.requestAnimationFrame(clip);
    });
  }

  var idle = null;
  function wake() {
    body.classList.add("controls-on");
    window.clearTimeout(idle);
    idle = window.setTimeout(function () { body.classList.remove("controls-on"); }, 3000);
  }
  document.addEventListener("mousemove", wake);
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "l" || event.key === "L") schemeButton.click();
    else if ((event.key === "f" || event.key === "F") && !fullButton.hidden) fullButton.click();
  });

  tick();
}
