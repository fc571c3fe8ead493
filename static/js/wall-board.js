/* Facilitate, the wall's board: each note painted once and kept, the headings and their notes
 * laid out in pages by Pager (wall-pages.js). Text from people is only ever set with textContent. */
import { t, tn } from "./i18n.js";
import { el } from "./live.js";
import { Pager } from "./wall-pages.js";

const KINDS = { question: t("Question"), action: t("Action"), quote: t("Quote") };

/** The board in ``board``: ``update(sections, arrived)`` lays it out again, ``relayout()`` after
 * the screen changed. ``onPage(index, count, dwell)`` hears of every page shown. */
export function createBoard(board, { onPage }) {
  const elements = new Map(); // note id -> <li>
  const counts = new Map(); // section key -> how many notes it holds
  let sections = [];
  let emptyText = "";
  let fit = null; // fewer, wider columns when everything fits on one page with room to spare
  let widest = 1;
  let columnsNow = 1;
  let tooTall = false; // a note is taller than a column: the columns must be wider

  const measurer = el("div", "wall__measure");
  measurer.setAttribute("aria-hidden", "true");
  board.parentNode.appendChild(measurer);

  const scrolling = window.matchMedia("(max-width: 45em)"); // a phone: one column that scrolls
  const heightFor = (height) => (scrolling.matches ? Infinity : height);

  function columnsFor(width) {
    if (scrolling.matches) {
      widest = 1;
      return setColumns(1);
    }
    const style = window.getComputedStyle(board);
    const gap = parseFloat(style.columnGap) || 0;
    const rem = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    const least = (parseFloat(style.getPropertyValue("--column-rem")) || 10) * rem;
    widest = Math.max(1, Math.floor((width + gap) / (least + gap)));
    return setColumns(fit ? Math.min(fit, widest) : widest);
  }

  function setColumns(columns) {
    columnsNow = columns;
    board.style.setProperty("--columns", columns);
    return columns;
  }

  function heading(part) {
    const head = el("h2", "wall-col__head");
    head.appendChild(el("span", "wall-col__title", part.title));
    const count = counts.get(part.key);
    if (count) head.appendChild(el("span", "wall-col__count", " (" + count + ")"));
    if (part.continued) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", "wall-col__cont", t("continued")));
    }
    return head;
  }

  function renderPart(part) {
    const name = "wall-col" + (part.key === "new" ? " wall-col--new" : "");
    const div = el("div", name + (part.continued ? " wall-col--continued" : ""));
    div.appendChild(heading(part));
    if (part.ids.length) {
      const list = el("ol", "wall-col__notes");
      part.ids.forEach((id) => list.appendChild(elements.get(id)));
      div.appendChild(list);
    } else if (part.key === "new" && emptyText) {
      div.appendChild(el("p", "wall__empty", emptyText));
    }
    return div;
  }

  /* Every note's height at ``width``, measured off screen on the very elements the board shows. */
  function measure(wanted, width) {
    const stack = el("div", "wall-stack");
    stack.style.width = width + "px";
    measurer.replaceChildren(stack);
    const gap = parseFloat(window.getComputedStyle(stack).rowGap) || 0;
    const heads = [];
    const lists = wanted.map((section) => {
      const part = { key: section.key, title: section.title, continued: true, ids: [] };
      const head = renderPart(part);
      stack.appendChild(head);
      heads.push(head);
      const list = el("ol", "wall-col__notes");
      section.ids.forEach((id) => list.appendChild(elements.get(id)));
      const holder = el("div", "wall-col");
      holder.appendChild(list);
      stack.appendChild(holder);
      return list;
    });
    const heights = heads.map((head) => Math.ceil(head.getBoundingClientRect().height));
    const measured = wanted.map((section, s) => ({
      key: section.key,
      title: section.title,
      headingHeight: heights[s],
      items: Array.from(lists[s].children, (li, i) => ({
        id: section.ids[i],
        height: Math.ceil(li.getBoundingClientRect().height),
      })),
    }));
    measurer.replaceChildren();
    const room = heightFor(board.clientHeight) - 2;
    tooTall = measured.some((section) => section.items.some((item) => item.height > room));
    return { sections: measured, headingHeight: Math.max(0, ...heights), gap, padding: 2 };
  }

  const pager = new Pager(board, { render: renderPart, measure, columnsFor, onPage, heightFor });

  /* Fewer, wider columns while a note is taller than a column, or while everything fits on one
   * page with columns to spare. */
  function layOut(arrived) {
    fit = null;
    pager.update(sections, arrived);
    while (tooTall && columnsNow > 1) {
      fit = columnsNow - 1;
      pager.update(sections, []);
    }
    const used = pager.pages.length === 1 ? pager.pages[0].length : 0;
    if (used && used < columnsNow) {
      const before = fit;
      fit = used;
      pager.update(sections, []);
      if (pager.pages.length > 1 || tooTall) {
        fit = before;
        pager.update(sections, []);
      }
    }
  }

  return {
    elements,
    /** ``wanted``: [{key, title, notes}] in order; ``arrived``: ids of notes new to the wall. */
    update(wanted, arrived, empty) {
      emptyText = empty || "";
      counts.clear();
      wanted.forEach((section) => counts.set(section.key, section.notes.length));
      sections = wanted.map((section) => ({
        key: section.key,
        title: section.title,
        ids: section.notes.map((note) => note.id),
      }));
      layOut(arrived);
    },
    relayout() { layOut([]); },
    turn(step) { pager.turn(step); },
    get pages() { return pager.pages.length; },
  };
}

/** Paint ``note`` into its <li>, keeping the fade of a note that has just arrived. */
export function paint(li, note) {
  const fresh = li.classList.contains("wall-note--new");
  li.className = "wall-note wall-note--" + note.kind + (note.pinned ? " wall-note--pinned" : "") + (fresh ? " wall-note--new" : "");
  li.textContent = "";
  const text = el("p", "wall-note__text", note.text);
  text.setAttribute("dir", "auto");
  li.appendChild(text);
  const meta = el("p", "wall-note__meta");
  if (note.pinned) {
    const pin = el("span", "wall-note__pin");
    pin.appendChild(el("span", null, "★")).setAttribute("aria-hidden", "true");
    pin.appendChild(el("span", "visually-hidden", t("Pinned")));
    meta.appendChild(pin);
  }
  if (KINDS[note.kind]) meta.appendChild(el("span", "wall-note__kind", KINDS[note.kind]));
  if (note.author) meta.appendChild(el("span", "wall-note__author", note.author));
  if (note.votes > 0) {
    const votes = el("span", "wall-note__votes");
    votes.appendChild(el("span", null, "▲")).setAttribute("aria-hidden", "true");
    votes.appendChild(document.createTextNode(" " + note.votes));
    votes.appendChild(el("span", "visually-hidden", " " + tn("vote", "votes", note.votes)));
    meta.appendChild(votes);
  }
  if (note.people > 1) {
    const people = el("span", "wall-note__people", "×" + note.people);
    const made = tn("{n} person made this point", "{n} people made this point", note.people);
    people.setAttribute("title", made);
    people.setAttribute("aria-label", made);
    people.setAttribute("role", "img");
    meta.appendChild(people);
  }
  if (meta.childNodes.length) li.appendChild(meta);
}
