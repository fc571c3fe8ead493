/* Facilitate, the console's suggestions: notes that look alike (merge or dismiss), headings for
 * unsorted notes (accept or reject, note by note) and the theme's keywords (remove a word).
 * Worked out by the server from the notes alone; a suggestion changes nothing until accepted.
 * Text from people is only ever set with textContent. */
import { t, tn } from "./i18n.js";
import { el } from "./live.js";

const WAIT_MS = 1200; // after a change, before asking again: a burst of notes is one question
const CLOSED_KEY = "facilitate:suggestions-closed";

/** Build the suggestions panel before the board and keep it up to date.
 * `notes()` and `clusters()` give the console's current notes (Map) and headings. */
export function startSuggestions({ root, live, notes, clusters, say }) {
  const style = el("link");
  style.rel = "stylesheet";
  style.href = new URL("../css/console-suggest.css", import.meta.url).href;
  document.head.appendChild(style);
  const S = { groups: [], headings: [], keywords: [], hidden: [], rejected: new Set(), made: new Map(), focusKey: null };
  const panel = buildPanel();
  const board = root.querySelector(".board");
  board.parentNode.insertBefore(panel, board);
  let timer = null;
  let asking = false;
  let again = false;

  function part(name, title, hint) {
    const section = el("section", "suggest__part suggest__part--" + name);
    section.setAttribute("aria-labelledby", "suggest-" + name);
    const h = el("h3", "suggest__title");
    h.id = "suggest-" + name;
    h.appendChild(el("span", null, title));
    h.appendChild(el("span", "count suggest__count", " (0)"));
    section.appendChild(h);
    section.appendChild(el("p", "suggest__hint", hint));
    section.appendChild(el("ol", "suggest__list"));
    return section;
  }

  function buildPanel() {
    const details = el("details", "suggest");
    // Open unless this facilitator closed it: the choice is kept for the next theme too.
    let closed = false;
    try { closed = localStorage.getItem(CLOSED_KEY) === "1"; } catch (e) { /* storage refused */ }
    details.open = !closed;
    details.addEventListener("toggle", function () {
      try { localStorage.setItem(CLOSED_KEY, details.open ? "0" : "1"); } catch (e) { /* storage refused */ }
    });
    const summary = el("summary", "suggest__summary", t("Suggestions"));
    details.appendChild(summary);
    const body = el("div", "suggest__body");
    body.appendChild(part("alike", t("These look alike"), t("Merge keeps one note and counts everyone who made the point.")));
    body.appendChild(part("headings", t("Suggested headings"), t("For unsorted notes. On a note: Y or Enter accepts, N rejects.")));
    body.appendChild(part("keywords", t("Keywords"), t("Shown on the wall and in the report. Remove a word that says nothing.")));
    details.appendChild(body);
    return details;
  }

  /* ---- asking the server ---- */
  function changed() {
    clearTimeout(timer);
    timer = setTimeout(ask, WAIT_MS);
  }

  function ask() {
    if (asking) { again = true; return; }
    asking = true;
    Promise.all([
      live.emit("suggest:duplicates", {}),
      live.emit("suggest:clusters", {}),
      live.emit("keywords:get", {}),
    ]).then(function (answers) {
      asking = false;
      if (answers[0].ok) S.groups = answers[0].groups;
      if (answers[1].ok) S.headings = answers[1].clusters;
      if (answers[2].ok) { S.keywords = answers[2].keywords; S.hidden = answers[2].hidden; }
      render();
      if (again) { again = false; changed(); }
    });
  }

  /* ---- drawing ---- */
  function noteText(id) {
    const note = notes().get(id);
    return note ? note.text : "";
  }

  function usable(id) {
    const note = notes().get(id);
    return note && note.status === "visible" && !note.merged_into;
  }

  function button(label, action, aria, extra) {
    const b = el("button", "button button--secondary button--small " + (extra || ""), label);
    b.type = "button";
    b.setAttribute("data-suggest-action", action);
    b.setAttribute("aria-label", aria);
    return b;
  }

  function fill(name, items, empty) {
    const section = panel.querySelector(".suggest__part--" + name);
    const list = section.querySelector(".suggest__list");
    section.querySelector(".suggest__count").textContent = " (" + items.length + ")";
    const scrolled = list.scrollTop; // a fresh answer must not throw the reader back to the top
    list.textContent = "";
    if (!items.length) list.appendChild(el("li", "suggest__empty", empty));
    items.forEach(function (item) { list.appendChild(item); });
    list.scrollTop = scrolled;
  }

  function render() {
    const focused = document.activeElement && panel.contains(document.activeElement) ? document.activeElement : null;
    const key = focused && focused.closest("[data-suggest-key]");
    const place = S.focusKey || (key ? key.getAttribute("data-suggest-key") : null);
    S.focusKey = null;
    fill("alike", S.groups.filter(function (g) { return g.filter(usable).length > 1; }).map(groupItem), t("Nothing looks alike just now."));
    fill("headings", headingItems(), t("No suggestion for the unsorted notes just now."));
    fill("keywords", S.keywords.map(keywordItem), t("Keywords appear once a few notes share words."));
    if (place) {
      const back = panel.querySelector("[data-suggest-key='" + place + "']") || panel.querySelector("[data-suggest-key]");
      if (back) back.focus();
    }
  }

  function groupItem(group) {
    const ids = group.filter(usable);
    const item = el("li", "suggest__group");
    item.setAttribute("data-suggest-group", ids.join(","));
    const texts = el("ul", "suggest__notes");
    ids.forEach(function (id) {
      const note = notes().get(id);
      const line = el("li", "suggest__note", note.text);
      line.dir = "auto";
      if (note.people > 1) line.appendChild(el("span", "suggest__people", " " + tn("×{n} person", "×{n} people", note.people)));
      texts.appendChild(line);
    });
    item.appendChild(texts);
    const actions = el("div", "suggest__actions");
    const about = t("“{note}” and {n} more", { note: noteText(ids[0]).slice(0, 50), n: ids.length - 1 });
    actions.appendChild(button(t("Merge into one"), "merge", t("Merge into one: {notes}", { notes: about }), "button--ok-outline"));
    actions.appendChild(button(t("Not the same"), "dismiss", t("Not the same: {notes}", { notes: about })));
    item.appendChild(actions);
    return item;
  }

  function headingKey(suggestion) {
    return suggestion.cluster_id !== null ? "c" + suggestion.cluster_id : "n" + suggestion.title;
  }

  function headingItems() {
    const known = {};
    clusters().forEach(function (c) { known[c.id] = c; });
    const items = [];
    S.headings.forEach(function (suggestion) {
      const target = suggestion.cluster_id !== null ? known[suggestion.cluster_id] : null;
      if (suggestion.cluster_id !== null && !target) return;
      const ids = suggestion.note_ids.filter(function (id) {
        const note = notes().get(id);
        return usable(id) && note.cluster_id === null && !S.rejected.has(headingKey(suggestion) + ":" + id);
      });
      if (!ids.length) return;
      const item = el("li", "suggest__heading");
      const title = el("p", "suggest__heading-title");
      title.appendChild(el("span", "tag suggest__tag", target ? t("Heading") : t("New heading")));
      title.appendChild(el("strong", null, " " + (target ? target.title : suggestion.title)));
      item.appendChild(title);
      const list = el("ul", "suggest__notes");
      ids.forEach(function (id) { list.appendChild(headingNote(suggestion, target, id)); });
      item.appendChild(list);
      items.push(item);
    });
    return items;
  }

  function headingNote(suggestion, target, id) {
    const line = el("li", "suggest__note suggest__choice");
    line.tabIndex = 0;
    line.setAttribute("data-suggest-key", headingKey(suggestion) + ":" + id);
    line.setAttribute("data-suggest-note-id", String(id));
    line.setAttribute("data-suggest-heading", JSON.stringify({ cluster_id: suggestion.cluster_id, title: suggestion.title }));
    const text = el("span", "suggest__note-text", noteText(id));
    text.dir = "auto";
    line.appendChild(text);
    const actions = el("span", "suggest__actions");
    const where = target ? target.title : suggestion.title;
    const named = { note: noteText(id).slice(0, 50), heading: where };
    actions.appendChild(button(t("Accept"), "accept", t("Accept: “{note}” under “{heading}”", named), "button--ok-outline"));
    actions.appendChild(button(t("Reject"), "reject", t("Reject: “{note}” under “{heading}”", named)));
    line.appendChild(actions);
    return line;
  }

  function keywordItem(keyword) {
    const item = el("li", "suggest__keyword");
    item.setAttribute("data-suggest-key", "k:" + keyword.term);
    item.appendChild(el("span", null, keyword.term));
    item.appendChild(el("span", "count", " " + keyword.count));
    const remove = button("✕", "hide-word", t("Remove the keyword “{term}”", { term: keyword.term }), "button--tiny");
    remove.setAttribute("data-term", keyword.term);
    item.appendChild(remove);
    return item;
  }

  /* ---- acting ---- */
  function send(event, payload) {
    return live.emit(event, payload).then(function (answer) {
      if (!answer.ok) { say(answer.error.message, true); throw new Error(answer.error.code); }
      (answer.notes || (answer.note ? [answer.note] : [])).forEach(function (n) { live.acknowledged(n); });
      return answer;
    });
  }

  function merge(ids) {
    const all = ids.map(function (id) { return notes().get(id); });
    all.sort(function (a, b) { return b.votes - a.votes || a.id - b.id; });
    const kept = all[0];
    let chain = Promise.resolve();
    all.slice(1).forEach(function (note) {
      chain = chain.then(function () { return send("note:merge", { note_id: note.id, into_id: kept.id }); });
    });
    chain.then(function () {
      const people = all.reduce(function (sum, n) { return sum + n.people; }, 0);
      say(t("Merged: “{note}” is now raised by {n} people.", { note: kept.text.slice(0, 60), n: people }));
      changed();
    }).catch(function () { changed(); });
  }

  function dismiss(ids) {
    send("suggest:dismiss", { note_ids: ids }).then(function (answer) {
      S.groups = answer.groups;
      render();
      say(t("Dismissed: those notes stay apart."));
    }).catch(function () {});
  }

  function accept(line) {
    const id = Number(line.getAttribute("data-suggest-note-id"));
    const heading = JSON.parse(line.getAttribute("data-suggest-heading"));
    let clusterId = heading.cluster_id;
    let made = Promise.resolve(clusterId);
    if (clusterId === null) {
      const existing = S.made.get(heading.title) || clusters().filter(function (c) { return c.title === heading.title; })[0];
      if (existing) made = Promise.resolve(existing.id);
      else made = send("cluster:add", { title: heading.title }).then(function (answer) { S.made.set(heading.title, answer.cluster); return answer.cluster.id; });
    }
    made.then(function (target) {
      return send("note:move", { note_id: id, cluster_id: target });
    }).then(function () {
      say(t("Moved “{note}” under “{heading}”.", { note: noteText(id).slice(0, 60), heading: heading.title }));
      S.headings.forEach(function (s) { s.note_ids = s.note_ids.filter(function (n) { return n !== id; }); });
      render();
      changed();
    }).catch(function () {});
  }

  function reject(line) {
    S.rejected.add(line.getAttribute("data-suggest-key"));
    render();
    say(t("Left where it is."));
  }

  function focusNext(line) {
    const lines = Array.prototype.slice.call(panel.querySelectorAll(".suggest__choice"));
    const next = lines[lines.indexOf(line) + 1] || lines[lines.indexOf(line) - 1];
    if (next) S.focusKey = next.getAttribute("data-suggest-key");
  }

  panel.addEventListener("click", function (event) {
    const b = event.target.closest("[data-suggest-action]");
    if (!b) return;
    const action = b.getAttribute("data-suggest-action");
    const group = b.closest("[data-suggest-group]");
    const ids = group ? group.getAttribute("data-suggest-group").split(",").map(Number) : [];
    if (action === "merge") merge(ids);
    if (action === "dismiss") dismiss(ids);
    if (action === "accept" || action === "reject") {
      const line = b.closest(".suggest__choice");
      focusNext(line);
      if (action === "accept") accept(line); else reject(line);
    }
    if (action === "hide-word") hideWord(b.getAttribute("data-term"));
  });

  panel.addEventListener("keydown", function (event) {
    const line = event.target.closest && event.target.closest(".suggest__choice");
    if (!line || event.target !== line || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "y" || key === "enter") { event.preventDefault(); focusNext(line); accept(line); }
    if (key === "n" || key === "delete") { event.preventDefault(); focusNext(line); reject(line); }
    if (key === "arrowdown" || key === "arrowup") {
      event.preventDefault();
      const lines = Array.prototype.slice.call(panel.querySelectorAll(".suggest__choice"));
      const to = lines[lines.indexOf(line) + (key === "arrowdown" ? 1 : -1)];
      if (to) to.focus();
    }
  });

  function hideWord(term) {
    send("keywords:hide", { term: term }).then(function (answer) {
      S.keywords = answer.keywords;
      S.hidden = answer.hidden;
      render();
      say(t("“{term}” is off the wall and the report.", { term: term }));
    }).catch(function () {});
  }

  render();
  return { changed: changed };
}
