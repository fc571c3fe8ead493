/* Facilitate, the facilitator's console: moderate, merge and cluster a theme's notes live.
 * Text from people is only ever set with textContent. Every action has a keyboard path. */
import { sequencePanel } from "./console-sequence.js";
import { t, tn } from "./i18n.js";
import { icon, withIcon } from "./icons.js";
import { $, LiveClient, clock, el } from "./live.js";
import { startSuggestions } from "./console-suggest.js";

const consoleRoot = document.getElementById("console");
if (consoleRoot && typeof window.io === "function") start(consoleRoot);

function start(root) {
  var THEME_ID = Number(root.getAttribute("data-theme-id"));
  var KINDS = { idea: t("Idea"), question: t("Question"), action: t("Action"), quote: t("Quote") };

  var S = {
    theme: null,
    notes: new Map(), // id -> NOTE as staff see it (every status, merged ones too)
    clusters: [],
    presence: 0,
    merging: null, // id of the note being merged
    dragging: false,
    welcomed: false,
  };

  var body = $(".console-body");
  var board = $(".board");
  var message = $(".console-message");
  var conn = $(".conn");

  function button(label, action, extra) {
    var b = el("button", "button button--secondary button--small " + (extra || ""), label);
    b.type = "button";
    b.setAttribute("data-action", action);
    return b;
  }

  /* ---- connection: the shared live client ---- */
  var live = new LiveClient({
    auth: function () { return { theme_id: THEME_ID }; },
    pill: { element: conn, label: $(".conn__label", conn) },
    handlers: {
      welcome: onWelcome,
      note: onNote,
      clusters: function (clusters) {
        S.clusters = clusters;
        if (S.theme) { S.theme.clusters = clusters; renderWallView(S.theme); }
        scheduleRender();
      },
      theme: function (theme) { applyTheme(theme); scheduleRender(); },
      presence: setPresence,
      refused: function (text) { say(text || t("You cannot run this theme."), true); },
    },
  });

  var suggest = startSuggestions({ root: root, live: live, notes: function () { return S.notes; }, clusters: function () { return S.clusters; }, say: say });

  function onWelcome(welcome, how) {
    if (!how.stale) S.notes = new Map();
    welcome.notes.forEach(onNote);
    applyTheme(welcome.theme);
    setPresence(welcome.presence);
    S.welcomed = true;
    body.hidden = false;
    render();
  }

  function onNote(note) {
    var old = S.notes.get(note.id);
    if (old && note.seq < old.seq) return;
    S.notes.set(note.id, note);
    if (note.status === "removed" && !note.merged_into) S.notes.delete(note.id);
    scheduleRender();
  }

  /* Send an event; show the server's sentence when it says no. */
  function send(event, payload, done) {
    live.emit(event, payload).then(function (answer) {
      if (!answer.ok) { say(answer.error.message, true); return; }
      if (answer.note) live.acknowledged(answer.note);
      if (done) done(answer);
    });
  }

  var sayTimer = null;
  function say(text, isError) {
    message.textContent = text;
    message.classList.toggle("console-message--error", Boolean(isError));
    clearTimeout(sayTimer);
    sayTimer = setTimeout(function () { message.textContent = ""; }, 8000);
  }

  /* ---- theme: phase, timer, settings, presence ---- */
  function applyTheme(theme) {
    S.theme = theme;
    S.clusters = theme.clusters || [];
    root.setAttribute("data-phase", theme.phase);
    var tag = $(".phase-tag");
    tag.textContent = root.getAttribute("data-phase-" + theme.phase) || theme.phase;
    tag.className = "tag tag--" + theme.phase + " phase-tag";
    var phaseButton = $(".phase-button");
    var open = theme.phase === "open";
    phaseButton.value = open ? "closed" : "open";
    phaseButton.textContent = open ? t("Close theme") : theme.phase === "draft" ? t("Open theme") : t("Open again");
    phaseButton.className = "button phase-button " + (open ? "button--danger" : "button--ok");
    var settings = theme.settings;
    $("#set-names").checked = settings.names_required;
    $("#set-approval").checked = settings.approval_required;
    $("#set-votes-hidden").checked = settings.votes_hidden;
    $("#set-notes-private").checked = settings.notes_private;
    sequence.theme(theme);
    if (document.activeElement !== $("#set-votes")) $("#set-votes").value = settings.votes_per_participant;
    if (document.activeElement !== $("#set-length")) $("#set-length").value = settings.note_max_length;
    // While a timer runs the box shows what it will do; between timers it keeps the facilitator's
    // choice for the next one (closing when time is up, unless unticked).
    if (theme.timer && theme.timer.ends_at) $("#timer-closes").checked = Boolean(theme.timer.closes_theme);
    renderWallView(theme);
    tick();
  }

  var sequence = sequencePanel({ send: send, applyTheme: applyTheme, say: say });

  /* ---- what the walls show: everything, the newest, one heading, one note in the spotlight ---- */
  var wallHeading = $("#wall-heading");
  function renderWallView(theme) {
    var view = theme.wall || { mode: "all" };
    document.querySelectorAll("[data-wall-mode]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-wall-mode") === view.mode ? "true" : "false");
    });
    var chosen = view.mode === "heading" ? String(view.cluster_id) : wallHeading.value;
    wallHeading.textContent = "";
    (theme.clusters || []).forEach(function (cluster) {
      var option = el("option", null, cluster.title);
      option.value = String(cluster.id);
      wallHeading.appendChild(option);
    });
    if (chosen) wallHeading.value = chosen;
    var showHeading = $("[data-wall-mode='heading']");
    showHeading.disabled = !(theme.clusters || []).length;
    var now = t("Every wall shows every note.");
    if (view.mode === "newest") now = t("Every wall shows the newest notes.");
    if (view.mode === "heading") {
      var cluster = (theme.clusters || []).filter(function (c) { return c.id === view.cluster_id; })[0];
      now = t("Every wall shows one heading: “{title}”.", { title: cluster ? cluster.title : "?" });
    }
    if (view.mode === "note") {
      var note = S.notes.get(view.note_id);
      var spotlit = note ? note.text.slice(0, 80) : t("a note");
      now = t("In the spotlight: “{note}”.", { note: spotlit });
    }
    $(".wall-view__now").textContent = now;
  }
  function setWallView(view) {
    send("wall:view", view, function (answer) { applyTheme(answer.theme); });
  }
  function spotlight(id) {
    var view = S.theme && S.theme.wall;
    if (view && view.mode === "note" && view.note_id === id) setWallView({ mode: "all" });
    else setWallView({ mode: "note", note_id: id });
  }
  document.querySelectorAll("[data-wall-mode]").forEach(function (b) {
    b.addEventListener("click", function () {
      var mode = b.getAttribute("data-wall-mode");
      if (mode === "heading") setWallView({ mode: "heading", cluster_id: Number(wallHeading.value) });
      else setWallView({ mode: mode });
    });
  });

  function setPresence(count) {
    S.presence = count || 0;
    $(".stat-people").textContent = tn("{n} person here", "{n} people here", S.presence);
  }

  function tick() {
    var timer = $(".console-timer");
    var ends = S.theme && S.theme.timer && S.theme.timer.ends_at;
    $(".timer-stop").hidden = !ends;
    if (!ends) { timer.hidden = true; return; }
    var left = Math.round((Date.parse(ends) - live.now()) / 1000);
    timer.hidden = false;
    var text = left > 0 ? t("{time} left", { time: clock(left) }) : t("Time is up");
    if (S.theme.timer.closes_theme && left > 0) text = t("{time} left · then the theme closes", { time: clock(left) });
    $(".console-timer__text").textContent = text;
  }
  setInterval(tick, 1000);

  $(".phase-form").addEventListener("submit", function (event) {
    if (!live.connected) return; // the plain form post still works
    event.preventDefault();
    var phase = $(".phase-button").value;
    send("theme:phase", { phase: phase }, function (answer) {
      applyTheme(answer.theme);
      say(phase === "open" ? t("The theme is open: phones can post.") : t("The theme is closed: phones can read but not post."));
    });
  });

  document.querySelectorAll(".timer-presets [data-minutes]").forEach(function (b) {
    b.addEventListener("click", function () { startTimer(Number(b.getAttribute("data-minutes"))); });
  });
  $(".timer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var minutes = Number($("#timer-minutes").value);
    if (!(minutes >= 1 && minutes <= 240)) { say(t("Set the timer from 1 to 240 minutes."), true); return; }
    startTimer(minutes);
  });
  function startTimer(minutes) {
    send("timer:start", { seconds: Math.round(minutes * 60), closes_theme: $("#timer-closes").checked }, function (answer) {
      applyTheme(answer.theme);
      say(t("The timer runs on every phone and on the wall."));
    });
  }
  $(".timer-stop").addEventListener("click", function () {
    send("timer:stop", {}, function (answer) { applyTheme(answer.theme); say(t("The timer is stopped.")); });
  });

  $(".settings-form").addEventListener("submit", function (event) {
    event.preventDefault();
    send("theme:settings", {
      names_required: $("#set-names").checked,
      approval_required: $("#set-approval").checked,
      votes_hidden: $("#set-votes-hidden").checked,
      notes_private: $("#set-notes-private").checked,
      votes_per_participant: Number($("#set-votes").value),
      note_max_length: Number($("#set-length").value),
    }, function (answer) { applyTheme(answer.theme); say(t("Settings saved. Phones have them now.")); });
  });

  $(".open-wall").addEventListener("click", function (event) {
    event.preventDefault();
    window.open(this.href, "facilitate-wall");
  });
  document.querySelectorAll(".wall-switch__link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.open(link.href, "facilitate-wall");
      say(t("The wall window now shows “{title}”.", { title: link.firstChild.textContent.trim() }));
    });
  });

  /* ---- clusters ---- */
  $(".cluster-add").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("#cluster-title");
    send("cluster:add", { title: input.value }, function (answer) {
      input.value = "";
      say(t("Heading “{title}” added as number {number}.", { title: answer.cluster.title, number: answer.cluster.position + 1 }));
    });
  });

  function clusterAction(action, cluster) {
    if (action === "rename") {
      var title = window.prompt(t("New name for the heading “{title}”", { title: cluster.title }), cluster.title);
      if (title !== null && title.trim() && title !== cluster.title) send("cluster:rename", { cluster_id: cluster.id, title: title });
    } else if (action === "delete") {
      if (window.confirm(t("Remove the heading “{title}”? Its notes go back to Unsorted; none is lost.", { title: cluster.title }))) {
        send("cluster:delete", { cluster_id: cluster.id });
      }
    } else if (action === "left" || action === "right") {
      var ids = S.clusters.map(function (c) { return c.id; });
      var at = ids.indexOf(cluster.id), to = at + (action === "left" ? -1 : 1);
      if (to < 0 || to >= ids.length) return;
      ids.splice(to, 0, ids.splice(at, 1)[0]);
      send("cluster:reorder", { cluster_ids: ids }, function () { focusLater("[data-cluster='" + cluster.id + "'] [data-action='" + action + "']"); });
    }
  }

  /* ---- notes ---- */
  function visibleNotes() {
    var list = [];
    S.notes.forEach(function (note) { if (!note.merged_into && note.status !== "removed") list.push(note); });
    return list;
  }

  function byImportance(a, b) {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (b.votes !== a.votes) return b.votes - a.votes;
    return b.id - a.id;
  }

  function duplicatesOf(id) {
    return duplicates.get(id) || [];
  }

  function noteCard(note, where) {
    var card = el("li", "card-note card-note--" + note.kind + (note.pinned ? " card-note--pinned" : "") +
      (note.status === "pending" ? " card-note--pending" : ""));
    card.setAttribute("data-note", String(note.id));
    card.tabIndex = -1;
    if (where === "board") card.setAttribute("aria-roledescription", "note");
    var text = el("p", "card-note__text", note.text);
    text.dir = "auto";
    card.appendChild(text);
    var meta = el("p", "card-note__meta");
    if (note.pinned) meta.appendChild(withIcon("star", el("span", "card-note__pin", t("Pinned"))));
    if (note.kind !== "idea") meta.appendChild(el("span", "card-note__kind", KINDS[note.kind]));
    meta.appendChild(el("span", "card-note__author", note.author || t("Anonymous")));
    meta.appendChild(withIcon("up", el("span", "card-note__votes", tn("{n} vote", "{n} votes", note.votes))));
    if (note.people > 1) meta.appendChild(el("span", "card-note__people", tn("×{n} person", "×{n} people", note.people)));
    card.appendChild(meta);
    var actions = el("div", "card-note__actions");
    if (note.status === "pending") actions.appendChild(button(t("Approve"), "approve", "button--ok-outline"));
    if (note.status === "hidden") {
      actions.appendChild(button(t("Show"), "show"));
    } else {
      if (where !== "pending") actions.appendChild(withIcon(note.pinned ? "star" : "star-outline", button(note.pinned ? t("Unpin") : t("Pin"), note.pinned ? "unpin" : "pin")));
      actions.appendChild(button(t("Hide"), "hide"));
      if (where === "board") actions.appendChild(button(t("Merge"), "merge"));
      if (where === "board") actions.appendChild(button(t("Spotlight"), "spotlight"));
    }
    actions.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-label", t("{action}: {note}", { action: b.textContent.trim(), note: note.text.slice(0, 60) }));
    });
    card.appendChild(actions);
    var merged = duplicatesOf(note.id);
    if (merged.length) {
      var more = el("details", "card-note__duplicates");
      more.appendChild(el("summary", null, tn("{n} duplicate merged in", "{n} duplicates merged in", merged.length)));
      var list = el("ul");
      merged.forEach(function (dup) {
        var item = el("li", null);
        item.appendChild(el("span", null, dup.text));
        var undo = button(t("Unmerge"), "unmerge");
        undo.setAttribute("data-duplicate", String(dup.id));
        undo.setAttribute("aria-label", t("Unmerge: {note}", { note: dup.text.slice(0, 60) }));
        item.appendChild(undo);
        list.appendChild(item);
      });
      more.appendChild(list);
      card.appendChild(more);
    }
    if (S.merging === note.id) card.classList.add("card-note--merging");
    return card;
  }

  /* A heading's column: made once and kept while the heading exists; its head is made again when
   * the title, the number or the count changes, and its cards are placed in order. */
  function column(cluster, index, notes) {
    var id = cluster ? String(cluster.id) : "none";
    var entry = columns.get(id);
    if (!entry) {
      var section = el("div", "column");
      section.setAttribute("role", "group");
      section.setAttribute("data-cluster", id);
      section.setAttribute("aria-labelledby", "column-" + id);
      var list = el("ol", "column__notes note-list");
      list.setAttribute("aria-labelledby", "column-" + id);
      list.setAttribute("data-cluster", id);
      section.appendChild(list);
      var empty = el("li", "column__empty", cluster ? t("Drop notes here") : t("No unsorted notes"));
      entry = { section: section, list: list, head: null, key: null, empty: empty, sortable: null };
      columns.set(id, entry);
    }
    var key = JSON.stringify([cluster ? cluster.title : null, index, notes.length]);
    if (entry.key !== key) {
      var head = columnHead(cluster, index, notes.length);
      if (entry.head) entry.section.replaceChild(head, entry.head);
      else entry.section.insertBefore(head, entry.list);
      entry.head = head;
      entry.key = key;
    }
    placeInOrder(entry.list, notes.length ? notes.map(function (note) { return cardFor(note, "board"); }) : [entry.empty]);
    return entry.section;
  }

  function columnHead(cluster, index, count) {
    var head = el("div", "column__head");
    if (cluster) {
      var handle = el("span", "column__handle");
      handle.appendChild(icon("grip"));
      handle.setAttribute("aria-hidden", "true");
      head.appendChild(handle);
    }
    var title = el("h3", "column__title");
    title.id = "column-" + (cluster ? cluster.id : "none");
    if (cluster) title.appendChild(el("span", "column__number", String(index + 1)));
    title.appendChild(el("span", "column__name", cluster ? cluster.title : t("Unsorted")));
    title.appendChild(el("span", "column__count", " (" + count + ")"));
    head.appendChild(title);
    if (cluster) {
      var tools = el("div", "column__tools");
      var named = { title: cluster.title };
      [["left", "left", t("Move heading left"), t("Move heading left “{title}”", named)],
        ["right", "right", t("Move heading right"), t("Move heading right “{title}”", named)],
        ["pencil", "rename", t("Rename heading"), t("Rename heading “{title}”", named)],
        ["cross", "delete", t("Remove heading"), t("Remove heading “{title}”", named)]]
        .forEach(function (spec) {
          var b = button("", spec[1], "button--tiny");
          b.appendChild(icon(spec[0]));
          b.setAttribute("aria-label", spec[3]);
          b.title = spec[2];
          b.setAttribute("data-cluster-action", spec[1]);
          tools.appendChild(b);
        });
      head.appendChild(tools);
    }
    return head;
  }

  var renderQueued = false;
  function scheduleRender() {
    if (suggest) suggest.changed();
    if (renderQueued) return;
    renderQueued = true;
    window.requestAnimationFrame(function () { renderQueued = false; render(); });
  }

  function render() {
    if (!S.welcomed || S.dragging) return;
    var active = document.activeElement;
    var focused = active && active.closest ? active.closest("[data-note]") : null;
    var focusedId = focused ? focused.getAttribute("data-note") : null;
    var focusedAction = active && active.getAttribute("data-action");

    var shown = visibleNotes();
    duplicates = duplicateIndex();
    var pending = shown.filter(function (n) { return n.status === "pending"; }).sort(function (a, b) { return a.id - b.id; });
    var hidden = shown.filter(function (n) { return n.status === "hidden"; }).sort(function (a, b) { return b.id - a.id; });
    var live = shown.filter(function (n) { return n.status === "visible"; });

    fillList($(".pending-list"), pending, "pending");
    $(".pending-count").textContent = "(" + pending.length + ")";
    $(".pending-empty").hidden = pending.length > 0;
    fillList($(".hidden-list"), hidden, "hidden");
    $(".hidden-count").textContent = "(" + hidden.length + ")";
    $(".hidden-empty").hidden = hidden.length > 0;

    var known = {};
    S.clusters.forEach(function (c) { known[c.id] = true; });
    // Unsorted first: the notes still to place stand beside the headings they go to.
    var sections = [column(null, -1, live.filter(function (n) { return !known[n.cluster_id]; }).sort(byImportance))];
    S.clusters.forEach(function (cluster, index) {
      sections.push(column(cluster, index, live.filter(function (n) { return n.cluster_id === cluster.id; }).sort(byImportance)));
    });
    placeInOrder(board, sections);
    forgetColumnsBut(sections);
    forgetCardsBut(shown);
    board.setAttribute("data-columns", String(S.clusters.length + 1));

    sequence.notes(live);
    var people = live.reduce(function (sum, n) { return sum + n.people; }, 0);
    $(".stat-notes").textContent = tn("{n} note", "{n} notes", live.length);
    $(".stat-notes").title = t("{n} contributions counting merged duplicates", { n: people });
    applyFilter();
    var next = nextFocus();
    rovingTabIndex(next ? next.getAttribute("data-note") : focusedId);
    if (next) {
      next.focus();
    } else if (focusedId && !active.isConnected) {
      var again = document.querySelector("[data-note='" + focusedId + "']");
      if (again) {
        var target = focusedAction ? again.querySelector("[data-action='" + focusedAction + "']") : null;
        (target || again).focus({ preventScroll: false });
      }
    }
    makeSortable();
  }

  function fillList(list, notes, where) {
    placeInOrder(list, notes.map(function (note) { return cardFor(note, where); }));
  }

  /* The board is updated in place, not drawn afresh: a card or a column is made again only when
   * what it shows has changed, and the rest stay where they are, so each column keeps the place the
   * facilitator scrolled to, an opened list of duplicates stays open, and a note arriving costs one card. */
  var cards = new Map(); // note id -> { key, node }
  var columns = new Map(); // "none" or heading id -> { section, list, head, key, empty, sortable }
  var duplicates = new Map(); // note id -> the notes merged into it

  function duplicateIndex() {
    var index = new Map();
    S.notes.forEach(function (note) {
      if (note.merged_into == null) return;
      if (!index.has(note.merged_into)) index.set(note.merged_into, []);
      index.get(note.merged_into).push(note);
    });
    return index;
  }

  function cardFor(note, where) {
    var key = JSON.stringify([where, note.text, note.kind, note.pinned, note.status, note.author, note.votes,
      note.people, S.merging === note.id, duplicatesOf(note.id).map(function (d) { return [d.id, d.text]; })]);
    var known = cards.get(note.id);
    if (known && known.key === key) return known.node;
    var node = noteCard(note, where);
    var opened = known && known.node.querySelector("details[open]");
    var details = node.querySelector("details");
    if (opened && details) details.open = true;
    cards.set(note.id, { key: key, node: node });
    return node;
  }

  function forgetCardsBut(notes) {
    var keep = new Set(notes.map(function (note) { return note.id; }));
    cards.forEach(function (_, id) { if (!keep.has(id)) cards.delete(id); });
  }

  function forgetColumnsBut(sections) {
    columns.forEach(function (entry, id) {
      if (sections.indexOf(entry.section) >= 0) return;
      if (entry.sortable) entry.sortable.destroy();
      columns.delete(id);
    });
  }

  /* Make ``parent``'s children exactly ``nodes``, in order, moving only those out of place. */
  function placeInOrder(parent, nodes) {
    var current = parent.firstChild;
    nodes.forEach(function (node) {
      if (node === current) { current = current.nextSibling; return; }
      parent.insertBefore(node, current);
    });
    while (current) {
      var next = current.nextSibling;
      parent.removeChild(current);
      current = next;
    }
  }

  /* One tab stop for all the note cards: arrows move within, Tab leaves. */
  function rovingTabIndex(preferredId) {
    var cards = document.querySelectorAll("[data-note]");
    var chosen = preferredId ? document.querySelector("[data-note='" + preferredId + "']") : null;
    cards.forEach(function (card) { card.tabIndex = -1; });
    (chosen || cards[0] || { tabIndex: 0 }).tabIndex = 0;
  }

  /* After an action takes a note out of its column (approve, hide, merge, move), focus goes to the
   * note that took its place, or the one before it, never to the page. */
  function rememberPlace(id) {
    var card = document.querySelector("[data-note='" + id + "']");
    var list = card && card.parentElement;
    if (!list) return;
    var cards = Array.prototype.slice.call(list.querySelectorAll(":scope > [data-note]"));
    S.place = { id: String(id), list: listKey(list), index: cards.indexOf(card), until: Date.now() + 5000 };
  }
  function listKey(list) {
    if (list.classList.contains("pending-list")) return "pending";
    if (list.classList.contains("hidden-list")) return "hidden";
    return "cluster-" + list.getAttribute("data-cluster");
  }
  function listOf(key) {
    if (key === "pending") return $(".pending-list");
    if (key === "hidden") return $(".hidden-list");
    return board.querySelector(".column__notes[data-cluster='" + key.slice(8) + "']");
  }
  function nextFocus() {
    var place = S.place;
    if (!place) return null;
    if (Date.now() > place.until) { S.place = null; return null; }
    var list = listOf(place.list);
    var cards = list ? Array.prototype.slice.call(list.querySelectorAll(":scope > [data-note]:not([hidden])")) : [];
    if (cards.some(function (c) { return c.getAttribute("data-note") === place.id; })) return null; // not gone yet
    S.place = null;
    if (cards.length) return cards[Math.min(place.index, cards.length - 1)];
    return document.querySelector(".column__notes > [data-note]:not([hidden])") || document.querySelector("[data-note]:not([hidden])");
  }

  /* ---- filter: by words and by kind, on the board and in the queue ---- */
  var filterText = $("#filter-text");
  var filterKind = $("#filter-kind");
  function applyFilter() {
    var words = filterText.value.trim().toLowerCase();
    var kind = filterKind.value;
    var total = 0, shown = 0;
    document.querySelectorAll(".column__notes > [data-note], .pending-list > [data-note]").forEach(function (card) {
      var note = S.notes.get(Number(card.getAttribute("data-note")));
      if (!note) return;
      var match = (!kind || note.kind === kind) && (!words || note.text.toLowerCase().indexOf(words) >= 0);
      card.hidden = !match;
      total += 1;
      shown += match ? 1 : 0;
    });
    var filtering = Boolean(words || kind);
    root.classList.toggle("is-filtering", filtering);
    $(".filter-count").textContent = filtering ? t("Showing {shown} of {total} notes", { shown: shown, total: total }) : "";
  }
  filterText.addEventListener("input", applyFilter);
  filterKind.addEventListener("change", applyFilter);
  $(".filter-clear").addEventListener("click", function () {
    filterText.value = "";
    filterKind.value = "";
    applyFilter();
    filterText.focus();
  });

  function focusLater(selector) {
    setTimeout(function () { var node = document.querySelector(selector); if (node) node.focus(); }, 60);
  }

  /* ---- actions on notes ---- */
  function act(action, id, extra) {
    var note = S.notes.get(id);
    if (!note) return;
    if (action === "merge") return startMerge(id);
    if (action === "spotlight") return spotlight(id);
    if (action !== "pin" && action !== "unpin") rememberPlace(id);
    if (action === "unmerge") {
      return send("note:unmerge", { note_id: extra }, function () { say(t("The duplicate stands on its own again.")); });
    }
    send("note:moderate", { note_id: id, action: action }, function (answer) {
      var done = { approve: t("Approved: everyone sees it now."), hide: t("Hidden from phones and the wall. Find it under Hidden."),
        show: t("Shown again."), pin: t("Pinned to the top of its column."), unpin: t("Unpinned.") }[action];
      say(done);
    });
  }

  function moveTo(id, clusterNumber) {
    var note = S.notes.get(id);
    if (!note || note.status !== "visible") return;
    var cluster = clusterNumber === 0 ? null : S.clusters[clusterNumber - 1];
    if (clusterNumber !== 0 && !cluster) { say(t("There is no heading {number}. Add one first.", { number: clusterNumber }), true); return; }
    var clusterId = cluster ? cluster.id : null;
    if (note.cluster_id === clusterId) return;
    rememberPlace(id);
    send("note:move", { note_id: id, cluster_id: clusterId }, function () {
      say(cluster ? t("Moved to “{title}”.", { title: cluster.title }) : t("Moved to Unsorted."));
    });
  }

  function startMerge(id) {
    S.merging = id;
    var banner = $(".merge-banner");
    $(".merge-banner__text", banner).textContent = S.notes.get(id).text.slice(0, 80);
    banner.hidden = false;
    root.classList.add("is-merging");
    render();
  }
  function stopMerge() {
    S.merging = null;
    $(".merge-banner").hidden = true;
    root.classList.remove("is-merging");
    render();
  }
  function finishMerge(intoId) {
    var duplicate = S.merging;
    rememberPlace(duplicate);
    stopMerge();
    if (duplicate === intoId) { say(t("Choose a different note to merge into.")); return; }
    send("note:merge", { note_id: duplicate, into_id: intoId }, function (answer) {
      answer.notes.forEach(function (note) { live.acknowledged(note); });
      var kept = answer.notes[1];
      say(t("Merged: the note now stands for {n} people.", { n: kept.people }));
    });
  }
  $(".merge-banner__cancel").addEventListener("click", stopMerge);

  root.addEventListener("click", function (event) {
    var clusterButton = event.target.closest("[data-cluster-action]");
    if (clusterButton) {
      var clusterId = Number(clusterButton.closest("[data-cluster]").getAttribute("data-cluster"));
      var cluster = S.clusters.filter(function (c) { return c.id === clusterId; })[0];
      if (cluster) clusterAction(clusterButton.getAttribute("data-cluster-action"), cluster);
      return;
    }
    var card = event.target.closest("[data-note]");
    if (!card) return;
    var id = Number(card.getAttribute("data-note"));
    var actionButton = event.target.closest("[data-action]");
    if (S.merging !== null && !actionButton) { finishMerge(id); return; }
    if (!actionButton) return;
    var action = actionButton.getAttribute("data-action");
    act(action, id, Number(actionButton.getAttribute("data-duplicate")));
  });

  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && S.merging !== null) { event.preventDefault(); stopMerge(); return; }
    var card = event.target.closest && event.target.closest("[data-note]");
    if (!card || event.target !== card || event.ctrlKey || event.metaKey || event.altKey) return;
    var id = Number(card.getAttribute("data-note"));
    var note = S.notes.get(id);
    var key = event.key.toLowerCase();
    if (key === "enter" || key === " ") {
      if (S.merging !== null) { event.preventDefault(); finishMerge(id); }
      return;
    }
    // A held key repeats: act once per press, not thirty times a second.
    if (event.repeat && /^[0-9phams]$/.test(key)) { event.preventDefault(); return; }
    if (/^[0-9]$/.test(key)) { event.preventDefault(); moveTo(id, Number(key)); return; }
    var keyed = { p: note.pinned ? "unpin" : "pin", h: note.status === "hidden" ? "show" : "hide", a: "approve", m: "merge", s: "spotlight" }[key];
    if (keyed) {
      event.preventDefault();
      if (keyed === "approve" && note.status !== "pending") return;
      act(keyed, id);
      return;
    }
    if (key.indexOf("arrow") === 0) { event.preventDefault(); moveFocus(card, key); }
  });

  function moveFocus(card, key) {
    var list = card.parentElement;
    var cards = Array.prototype.slice.call(list.querySelectorAll(":scope > [data-note]"));
    var index = cards.indexOf(card);
    var target = null;
    if (key === "arrowdown") target = cards[index + 1];
    if (key === "arrowup") target = cards[index - 1];
    if (key === "arrowleft" || key === "arrowright") {
      var lists = Array.prototype.slice.call(document.querySelectorAll(".note-list")).filter(function (l) {
        return l.querySelector("[data-note]") && l.offsetParent !== null;
      });
      var at = lists.indexOf(list) + (key === "arrowright" ? 1 : -1);
      if (lists[at]) {
        var others = lists[at].querySelectorAll(":scope > [data-note]");
        target = others[Math.min(index, others.length - 1)];
      }
    }
    if (target) {
      document.querySelectorAll("[data-note]").forEach(function (c) { c.tabIndex = -1; });
      target.tabIndex = 0;
      target.focus();
    }
  }

  /* ---- drag and drop: one Sortable per column, made with the column ---- */
  var boardSortable = null;
  function makeSortable() {
    if (typeof Sortable === "undefined") return;
    columns.forEach(function (entry) {
      if (entry.sortable) return;
      entry.sortable = Sortable.create(entry.list, {
        group: "notes",
        draggable: "[data-note]",
        filter: "button, summary, details",
        preventOnFilter: false,
        animation: 120,
        onStart: function () { S.dragging = true; },
        onEnd: function (event) {
          S.dragging = false;
          var id = Number(event.item.getAttribute("data-note"));
          var target = event.to.getAttribute("data-cluster");
          var clusterId = target === "none" ? null : Number(target);
          var note = S.notes.get(id);
          if (note && note.cluster_id !== clusterId) {
            send("note:move", { note_id: id, cluster_id: clusterId });
          }
          scheduleRender();
        },
      });
    });
    if (boardSortable) return;
    boardSortable = Sortable.create(board, {
      draggable: ".column[data-cluster]:not([data-cluster='none'])",
      handle: ".column__handle",
      animation: 120,
      onStart: function () { S.dragging = true; },
      onEnd: function () {
        S.dragging = false;
        var ids = Array.prototype.map.call(board.querySelectorAll(".column[data-cluster]:not([data-cluster='none'])"), function (c) {
          return Number(c.getAttribute("data-cluster"));
        });
        send("cluster:reorder", { cluster_ids: ids });
        scheduleRender();
      },
    });
  }
}
