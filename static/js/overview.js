/* Facilitate, the organiser's live overview: a row per theme (phase, people here, notes, notes
 * waiting for approval, the timer), updated live, and the plenary report-out's controls. The
 * server sends a theme's row at most once a second however busy the theme is (docs/realtime.md).
 * Text from people is only ever set with textContent. */
import { t, tn } from "./i18n.js";
import { $, clock } from "./live.js";

const root = document.getElementById("overview");
if (root && typeof window.io === "function") start(root);

function start(root) {
  var rows = new Map(); // theme id -> row
  var offset = Date.parse(root.dataset.now) - Date.now() || 0;
  var plenary = null;
  var pill = $(".conn");
  var pillLabel = $(".conn__label");
  var message = $(".plenary-panel__message");
  var LABELS = { live: t("Live"), reconnecting: t("Reconnecting…"), refused: t("Not connected") };

  function setState(state) {
    pill.setAttribute("data-state", state);
    pillLabel.textContent = LABELS[state] || t("Connecting…");
  }
  function setClock(iso) { if (iso) offset = Date.parse(iso) - Date.now(); }
  function text(selector, scope, value) {
    var node = $(selector, scope);
    if (node && node.textContent !== String(value)) node.textContent = String(value);
  }

  function renderRow(row) {
    var tr = document.getElementById("overview-" + row.id);
    if (!tr) return;
    var before = rows.get(row.id);
    rows.set(row.id, row);
    text(".overview-row__title", tr, row.title);
    var phase = $(".overview-row__phase", tr);
    phase.className = "tag tag--" + row.phase + " overview-row__phase";
    text(".overview-row__phase", tr, row.phase_label);
    text(".overview-row__presence", tr, row.presence);
    text(".overview-row__notes", tr, row.notes);
    text(".overview-row__pending", tr, row.pending);
    $(".overview-row__pending", tr).classList.toggle("overview-row__pending--some", row.pending > 0);
    tr.dataset.timerEnds = row.timer.ends_at || "";
    $(".overview-row__plenary", tr).disabled = row.phase === "draft";
    if (before && (before.notes !== row.notes || before.pending !== row.pending)) {
      tr.classList.remove("overview-row--changed");
      void tr.offsetWidth; // restart the highlight
      tr.classList.add("overview-row--changed");
    }
  }

  function renderTotals() {
    var people = 0, notes = 0, pending = 0;
    rows.forEach(function (row) { people += row.presence; notes += row.notes; pending += row.pending; });
    text(".overview__total-people", root, people);
    text(".overview__people-word", root, tn("person", "people", people));
    text(".overview__total-notes", root, notes);
    text(".overview__total-pending", root, pending);
  }

  function tick() {
    document.querySelectorAll(".overview-row").forEach(function (tr) {
      var ends = tr.dataset.timerEnds;
      var left = ends ? Math.round((Date.parse(ends) - (Date.now() + offset)) / 1000) : null;
      text(".overview-row__timer", tr, left === null ? "—" : left > 0 ? t("{time} left", { time: clock(left) }) : t("Time is up"));
    });
    if (plenary) {
      var shown = rows.get(plenaryNow(plenary));
      text(".plenary-panel__theme", root, shown ? shown.title : t("no theme yet"));
    }
  }

  /* The theme the report-out shows now (the same sum as the plenary page's). */
  function plenaryNow(view) {
    var ids = (view && view.theme_ids) || [];
    if (!ids.length || view.theme_id === null) return null;
    var index = Math.max(0, ids.indexOf(view.theme_id));
    if (view.seconds > 0) {
      var passed = (Date.now() + offset - Date.parse(view.since)) / 1000;
      index = (index + Math.max(0, Math.floor(passed / view.seconds))) % ids.length;
    }
    return ids[index];
  }

  function renderPlenary(view) {
    plenary = view;
    var shown = rows.get(plenaryNow(view));
    text(".plenary-panel__theme", root, shown ? shown.title : t("no theme yet"));
    // A theme that has not started is not in the report-out.
    var started = false;
    rows.forEach(function (row) { if (row.phase !== "draft") started = true; });
    document.querySelectorAll(".plenary-panel button").forEach(function (b) { b.disabled = !started; });
    var seconds = $(".plenary-panel__seconds");
    if (view && document.activeElement !== seconds) seconds.value = view.seconds;
  }

  var socket = window.io("/live", { auth: { event_id: parseInt(root.dataset.eventId, 10) } });
  socket.on("connect", function () { setState("live"); });
  socket.on("disconnect", function () { setState("reconnecting"); });
  socket.on("connect_error", function (error) {
    var data = (error && error.data) || {};
    if (data.code === "forbidden" || data.code === "not_found") {
      setState("refused");
      message.textContent = data.message;
      socket.disconnect();
    } else setState("reconnecting");
  });
  socket.on("welcome", function (welcome) {
    setClock(welcome.now);
    welcome.themes.forEach(renderRow);
    renderTotals();
    renderPlenary(welcome.plenary);
    tick();
  });
  socket.on("overview:theme", function (update) {
    setClock(update.now);
    renderRow(update.theme);
    renderTotals();
    renderPlenary(plenary);
    tick();
  });
  socket.on("plenary:updated", function (update) { setClock(update.now); renderPlenary(update.plenary); });

  function steer(payload) {
    message.textContent = "";
    socket.emit("plenary:steer", payload, function (answer) {
      if (answer && answer.ok) {
        renderPlenary(answer.plenary);
        if ("seconds" in payload) {
          message.textContent = answer.plenary.seconds > 0
            ? t("The report-out moves on every {n} seconds.", { n: answer.plenary.seconds })
            : t("The report-out moves on when you say.");
        }
      } else if (answer && answer.error) message.textContent = answer.error.message;
    });
  }
  document.querySelectorAll(".overview-row__plenary").forEach(function (button) {
    button.addEventListener("click", function () { steer({ theme_id: parseInt(button.dataset.themeId, 10) }); });
  });
  $(".plenary-panel__prev").addEventListener("click", function () { steer({ step: -1 }); });
  $(".plenary-panel__next").addEventListener("click", function () { steer({ step: 1 }); });
  $(".plenary-panel__pace").addEventListener("submit", function (event) {
    event.preventDefault();
    var raw = $(".plenary-panel__seconds").value.trim();
    var seconds = /^\d+$/.test(raw) ? parseInt(raw, 10) : NaN;
    if (isNaN(seconds)) { message.textContent = t("Give the seconds as a whole number, such as 60, or 0."); return; }
    steer({ seconds: seconds });
  });

  window.setInterval(tick, 1000);
}
