/* Facilitate, the plenary report-out wall: one theme at a time, as the organiser steers it or
 * paced by itself. The view (`{theme_id, seconds, since, theme_ids}`) comes from the server; every
 * screen works out from it which theme shows now, so several screens agree. Each move fetches the
 * slides again, so late notes and a newly published report's QR code appear. */
import { t } from "./i18n.js";
import { $ } from "./live.js";
import { schemeSwitch, wakeControlsOnMouse } from "./screen.js";

const root = document.getElementById("plenary");
if (root) start(root);

function start(root) {
  document.documentElement.classList.add("js");
  var body = document.body;
  var view = JSON.parse(root.dataset.view || "{}");
  var steers = root.dataset.steers === "true";
  var offset = Date.parse(root.dataset.now) - Date.now() || 0;
  var shown = null;
  var fetching = null;
  var fetched = null;
  var status = $(".plenary__status");
  var statusText = $(".plenary__status-text");
  var socket = null;

  function now() { return Date.now() + offset; }
  function setClock(iso) { if (iso) offset = Date.parse(iso) - Date.now(); }

  /* The theme on show at this moment (the same sum as services.plenary.current_theme_id). */
  function current() {
    var ids = view.theme_ids || [];
    if (view.theme_id === null || view.theme_id === undefined || !ids.length) return null;
    var index = Math.max(0, ids.indexOf(view.theme_id));
    if (view.seconds > 0) {
      var passed = (now() - Date.parse(view.since)) / 1000;
      index = (index + Math.max(0, Math.floor(passed / view.seconds))) % ids.length;
    }
    return ids[index];
  }

  function showSlide(themeId) {
    var slides = document.querySelectorAll(".slide");
    slides.forEach(function (slide) {
      slide.hidden = slides.length > 1 && String(slide.dataset.themeId) !== String(themeId);
    });
  }

  /* Fetch the slides anew, then show the theme that is on now. */
  function refresh() {
    var token = root.dataset.token;
    if (fetching) return fetching;
    fetching = fetch("/plenary/" + encodeURIComponent(token) + "/slides", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        /* Only a change is written, so a screen reader or a reader's eye is not disturbed. */
        if (html !== null && html !== fetched) $(".plenary__body").innerHTML = html;
        if (html !== null) fetched = html;
      })
      .catch(function () { /* keep the slides shown */ })
      .then(function () { fetching = null; showSlide(current()); });
    return fetching;
  }

  function render() {
    var id = current();
    if (id === shown) return;
    shown = id;
    showSlide(id);
    refresh();
  }

  function setStatus(state, text) {
    status.setAttribute("data-state", state);
    statusText.textContent = text;
  }

  function label() {
    var seconds = { seconds: view.seconds };
    if (!steers) return view.seconds > 0 ? t("Live · moves on every {seconds} s", seconds) : t("Live");
    return view.seconds > 0 ? t("Live · moves on every {seconds} s · → next, ← previous", seconds)
      : t("Live · → or Space next, ← previous");
  }

  function steer(step) {
    if (!steers || !socket || !socket.connected) return;
    socket.emit("plenary:steer", { step: step }, function (answer) {
      if (answer && answer.ok) { setClock(answer.now); view = answer.plenary; render(); }
      else if (answer && answer.error) setStatus("live", answer.error.message);
    });
  }

  if (typeof window.io === "function") {
    socket = window.io("/live", { auth: { plenary: root.dataset.token } });
    socket.on("welcome", function (welcome) {
      setClock(welcome.now);
      view = welcome.plenary;
      steers = Boolean(welcome.steer);
      setStatus("live", label());
      render();
    });
    socket.on("plenary:updated", function (message) {
      setClock(message.now);
      view = message.plenary;
      setStatus("live", label());
      render();
    });
    socket.on("disconnect", function () { setStatus("reconnecting", t("Reconnecting…")); });
    socket.on("connect_error", function (error) {
      var data = (error && error.data) || {};
      if (data.code === "not_found") { setStatus("refused", data.message); socket.disconnect(); }
      else setStatus("reconnecting", t("Reconnecting…"));
    });
  }

  /* The page came with fresh slides: show the one on now, and fetch them again only on a move. */
  shown = current();
  showSlide(shown);
  window.setInterval(render, 500);

  var prev = $(".plenary__prev");
  var next = $(".plenary__next");
  if (prev) prev.addEventListener("click", function () { steer(-1); });
  if (next) next.addEventListener("click", function () { steer(1); });

  var schemeButton = $(".wall__scheme");
  schemeSwitch(body, schemeButton);

  wakeControlsOnMouse(body);
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var onButton = event.target && event.target.tagName === "BUTTON";
    if (event.key === "l" || event.key === "L") schemeButton.click();
    else if (event.key === "ArrowRight" || event.key === "PageDown" || (event.key === " " && !onButton)) {
      event.preventDefault();
      steer(1);
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      event.preventDefault();
      steer(-1);
    }
  });
}
