/* Facilitate, the wall's pages: every visible note reaches the screen.
 *
 * The headings and their notes flow, in the facilitator's order, into as many columns as the
 * projector holds; when they need more room than one screen, they are cut into pages that the wall
 * moves through by itself, so that every note is on screen whole at a readable size within about a
 * minute. A heading that runs on into the next column or page is repeated there ("continued").
 * Newly arrived notes are brought forward: the next page shown is the one holding them.
 *
 * layOut() is plain arithmetic on measured heights; Pager owns the DOM and the clock.
 */

/** The pages of ``sections`` ([{key, title, items: [{id, height}]}]) for columns of ``height``
 * pixels, ``columns`` to a page, each heading ``headingHeight`` high (or a section's own
 * ``headingHeight``) and items ``gap`` apart.
 * A page is a list of columns; a column a list of {key, title, continued, ids}. */
export function layOut(sections, { columns, height, headingHeight, gap }) {
  const pages = [];
  let page = [];
  let column = null;
  let used = 0;

  function newColumn() {
    if (page.length === columns) {
      pages.push(page);
      page = [];
    }
    column = [];
    page.push(column);
    used = 0;
  }
  function startPart(section, continued) {
    const part = { key: section.key, title: section.title, continued, ids: [] };
    column.push(part);
    used += (used ? gap : 0) + headOf(section);
    return part;
  }
  const headOf = (section) => section.headingHeight ?? headingHeight;

  newColumn();
  sections.forEach((section) => {
    // A heading never ends a column on its own: it starts where its first note also fits.
    const first = section.items.length ? section.items[0].height : 0;
    if (used && used + gap + headOf(section) + gap + first > height) newColumn();
    let part = startPart(section, false);
    section.items.forEach((item) => {
      const needed = gap + item.height;
      if (part.ids.length && used + needed > height) {
        newColumn();
        part = startPart(section, true);
      }
      part.ids.push(item.id);
      used += needed;
    });
  });
  if (page.length) pages.push(page);
  return pages;
}

/** How long each page stays: the whole round in about ``round`` ms, never so fast that a page
 * cannot be read, nor so slow that the room waits. */
export function dwellFor(pageCount, { round = 55000, least = 6000, most = 15000 } = {}) {
  if (pageCount <= 1) return 0;
  return Math.max(least, Math.min(most, Math.round(round / pageCount)));
}

/** Where a note is: the index of the first page holding it, or -1. */
export function pageOf(pages, id) {
  for (let p = 0; p < pages.length; p += 1) {
    for (const column of pages[p]) {
      for (const part of column) if (part.ids.includes(id)) return p;
    }
  }
  return -1;
}

/** Lays the board out in pages and turns them. ``board`` is the element the columns go in;
 * ``render(part)`` returns the element of one heading's part of a column (its heading and its
 * notes' elements); ``measure(sections, width)`` returns ``{sections, headingHeight, gap,
 * padding}``: the sections with each item's height at that column width, a heading's height, the
 * space between items and a column's own padding. ``heightFor(clientHeight)``, if given, says how
 * tall a column may be (a board that scrolls has no limit). */
export class Pager {
  constructor(board, { render, measure, columnsFor, onPage, heightFor }) {
    this.board = board;
    this.heightFor = heightFor || ((height) => height);
    this.render = render;
    this.measure = measure;
    this.columnsFor = columnsFor;
    this.onPage = onPage || (() => {});
    this.pages = [];
    this.current = 0;
    this.cursor = 0; // where the round goes on after new notes were brought forward
    this.waiting = []; // ids of notes that arrived and have not been on screen yet
    this.timer = null;
  }

  /** Lay out again (notes, headings or the screen changed); ``arrived`` are ids of new notes. */
  update(sections, arrived = []) {
    const anchor = this.firstIdShown();
    const columns = this.columnsFor(this.board.clientWidth);
    const style = window.getComputedStyle(this.board);
    const gap = parseFloat(style.columnGap) || 0;
    const width = (this.board.clientWidth - gap * (columns - 1)) / columns;
    const measured = this.measure(sections, width);
    this.pages = layOut(measured.sections, {
      columns,
      height: this.heightFor(this.board.clientHeight) - measured.padding,
      headingHeight: measured.headingHeight,
      gap: measured.gap,
    });
    arrived.forEach((id) => { if (!this.waiting.includes(id)) this.waiting.push(id); });
    const onRound = this.current === this.cursor;
    const kept = anchor === null ? -1 : pageOf(this.pages, anchor);
    this.current = kept >= 0 ? kept : Math.min(this.current, this.pages.length - 1);
    this.cursor = onRound ? this.current : Math.min(this.cursor, this.pages.length - 1);
    this.show(this.current);
    this.schedule();
  }

  firstIdShown() {
    const page = this.pages[this.current];
    if (!page) return null;
    for (const column of page) for (const part of column) if (part.ids.length) return part.ids[0];
    return null;
  }

  show(index) {
    this.current = index;
    const page = this.pages[index] || [];
    const fragment = document.createDocumentFragment();
    page.forEach((column) => {
      const div = document.createElement("div");
      div.className = "wall-stack";
      column.forEach((part) => div.appendChild(this.render(part)));
      fragment.appendChild(div);
    });
    this.board.replaceChildren(fragment);
    const shown = new Set(page.flatMap((column) => column.flatMap((part) => part.ids)));
    this.waiting = this.waiting.filter((id) => !shown.has(id));
    this.onPage(index, this.pages.length, dwellFor(this.pages.length));
  }

  /** The next page: the one holding the longest-waiting new note, else the next in the round. */
  next() {
    while (this.waiting.length) {
      const at = pageOf(this.pages, this.waiting[0]);
      if (at >= 0 && at !== this.current) return at;
      this.waiting.shift();
    }
    this.cursor = (this.cursor + 1) % this.pages.length;
    return this.cursor;
  }

  /** Turn the page after a dwell; a page already due keeps its time, so that a busy room, whose
   * notes and votes lay the board out again and again, does not hold the wall on one page. */
  schedule() {
    const dwell = dwellFor(this.pages.length);
    if (!dwell) { this.stop(); return; }
    if (this.timer !== null) return;
    this.timer = window.setTimeout(() => {
      this.timer = null;
      this.show(this.next());
      this.schedule();
    }, dwell);
  }

  stop() {
    window.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Turn by hand (a presenter's clicker sends Page Down and Page Up): ``step`` pages on, the
   * round carrying on from there after a full dwell. */
  turn(step) {
    const count = this.pages.length;
    if (count <= 1) return;
    this.stop();
    this.cursor = (((this.current + step) % count) + count) % count;
    this.show(this.cursor);
    this.schedule();
  }
}
