/* Facilitate, the wall's keywords: the theme's most said words, large enough for the back of the
 * room, asked for again every little while. Words are only ever set with textContent. */
import { el } from "./live.js";

const EVERY_MS = 15000;
const SHOWN = 8;

const box = document.querySelector(".wall-keywords");
if (box) start(box);

function start(section) {
  const list = section.querySelector(".wall-keywords__list");
  let last = "";

  function show(keywords) {
    // "Most said": words used by one person alone stay off the wall.
    const words = keywords.filter(function (k) { return k.count >= 2; }).slice(0, SHOWN);
    const key = JSON.stringify(words);
    if (key === last) return;
    last = key;
    list.textContent = "";
    const most = words.length ? words[0].count : 1;
    words.forEach(function (keyword) {
      const item = el("li", "wall-keywords__word", keyword.term);
      item.dir = "auto";
      // The more people used a word, the bolder it stands; size stays readable for all.
      if (keyword.count >= most * 0.6) item.classList.add("wall-keywords__word--strong");
      list.appendChild(item);
    });
    section.hidden = words.length === 0;
  }

  function ask() {
    fetch(section.getAttribute("data-src"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) show(answer.keywords); })
      .catch(function () { /* offline for a moment: keep the words shown */ });
  }

  ask();
  setInterval(ask, EVERY_MS);
}
