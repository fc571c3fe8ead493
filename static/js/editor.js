/* The write-up editor: live preview, autosave after a pause in typing, citing notes from the
   drawer. Without this script the page still works with its Save button. Text is never thrown
   away: a failed save keeps it on the page (and in this browser) and tries again. */
import { t } from "./i18n.js";

const editorForm = document.getElementById("editor-form");
if (editorForm) start(editorForm);

function start(form) {
  var textarea = document.getElementById("body");
  var baseInput = document.getElementById("base_revision");
  var statusLine = document.getElementById("editor-status");
  var preview = document.getElementById("preview");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var storageKey = "facilitate-writeup-" + form.dataset.themeId;

  var PREVIEW_DELAY = 350;
  var SAVE_DELAY = 1500;
  var state = {
    saved: textarea.value,
    savedAt: null,
    saving: false,
    failures: 0,
    conflict: false,
    published: statusLine.dataset.state === "published",
    changes: statusLine.dataset.changes === "yes",
  };
  var previewTimer = null;
  var saveTimer = null;
  var previewSeq = 0;

  function dirty() {
    return textarea.value !== state.saved;
  }

  function baseRevision() {
    var value = parseInt(baseInput.value, 10);
    return isNaN(value) ? null : value;
  }

  function ago(time) {
    var seconds = Math.max(0, Math.round((Date.now() - time) / 1000));
    if (seconds < 5) return t("just now");
    if (seconds < 60) return t("{n} s ago", { n: seconds });
    var minutes = Math.round(seconds / 60);
    return t("{n} min ago", { n: minutes });
  }

  function stateWords() {
    if (!state.published) return t("Draft");
    return state.changes ? t("Published · changes not yet published") : t("Published");
  }

  function showStatus() {
    var words;
    var kind = "ok";
    if (state.conflict) {
      words = t("Not saved: someone else saved a newer version");
      kind = "failed";
    } else if (state.failures > 0) {
      words = t("Not saved — retrying");
      kind = "failed";
    } else if (state.saving) {
      words = t("Saving…");
      kind = "pending";
    } else if (dirty()) {
      words = t("Changes not saved yet");
      kind = "pending";
    } else if (state.savedAt) {
      words = t("Saved {when}", { when: ago(state.savedAt) });
    } else {
      words = statusLine.textContent.split(" · ")[0];
    }
    statusLine.dataset.save = kind;
    statusLine.textContent = words + " · " + stateWords();
  }

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function keepLocally() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ body: textarea.value, base: baseRevision() }));
    } catch (error) { /* private browsing: the text is still on the page */ }
  }

  function forgetLocally() {
    try { localStorage.removeItem(storageKey); } catch (error) { /* nothing kept */ }
  }

  function save(explicit, force) {
    clearTimeout(saveTimer);
    if (state.saving) {
      return new Promise(function (resolve) { setTimeout(function () { resolve(save(explicit, force)); }, 300); });
    }
    if (!dirty() && !explicit) return Promise.resolve(true);
    var body = textarea.value;
    state.saving = true;
    showStatus();
    var payload = { body: body, base_revision: force ? null : baseRevision(), explicit: !!explicit };
    return post(form.dataset.autosaveUrl, payload).then(function (result) {
      state.saving = false;
      if (result.status === 200 && result.data.ok) {
        state.saved = body;
        state.savedAt = Date.now();
        state.failures = 0;
        state.conflict = false;
        state.published = result.data.status === "published";
        state.changes = !!result.data.unpublished_changes;
        if (result.data.revision !== null) baseInput.value = result.data.revision;
        hideConflict();
        forgetLocally();
        showStatus();
        if (dirty()) scheduleSave();
        return true;
      }
      if (result.status === 409) {
        state.conflict = true;
        keepLocally();
        showConflict(result.data.error ? result.data.error.message : "");
        showStatus();
        return false;
      }
      throw new Error("save failed with " + result.status);
    }).catch(function () {
      state.saving = false;
      state.failures += 1;
      keepLocally();
      showStatus();
      var wait = Math.min(30000, 2000 * Math.pow(2, state.failures - 1));
      saveTimer = setTimeout(function () { save(explicit); }, wait);
      return false;
    });
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    if (state.conflict) return;
    saveTimer = setTimeout(function () { save(false); }, SAVE_DELAY);
  }

  var conflictBox = null;
  function showConflict(message) {
    hideConflict();
    conflictBox = document.createElement("div");
    conflictBox.className = "panel panel--warning conflict-actions";
    conflictBox.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = message;
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button";
    keep.textContent = t("Save my version");
    keep.addEventListener("click", function () { save(true, true); });
    var reload = document.createElement("a");
    reload.className = "button button--secondary";
    reload.href = window.location.pathname;
    reload.textContent = t("Reload to see theirs");
    conflictBox.append(text, keep, reload);
    statusLine.after(conflictBox);
  }

  function hideConflict() {
    if (conflictBox) conflictBox.remove();
    conflictBox = null;
  }

  function refreshPreview() {
    var seq = ++previewSeq;
    preview.setAttribute("aria-busy", "true");
    post(form.dataset.previewUrl, { body: textarea.value }).then(function (result) {
      if (seq !== previewSeq) return;
      preview.removeAttribute("aria-busy");
      if (result.status === 200 && result.data.ok) {
        // Sanitised on the server (markdown-it-py, then nh3).
        preview.innerHTML = result.data.html;
      }
    }).catch(function () {
      if (seq === previewSeq) preview.removeAttribute("aria-busy");
    });
  }

  textarea.addEventListener("input", function () {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, PREVIEW_DELAY);
    showStatus();
    scheduleSave();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save(true);
  });

  textarea.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      save(true);
    }
  });

  // Buttons that act on the saved text (compile, publish …) save the latest words first.
  document.querySelectorAll("form.js-save-first, form.js-confirm").forEach(function (other) {
    other.addEventListener("submit", function (event) {
      if (other.classList.contains("js-confirm") && !window.confirm(other.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      if (!dirty()) return;
      event.preventDefault();
      save(true).then(function (ok) { if (ok) other.submit(); });
    });
  });

  // Citing from the notes drawer puts [#id] where the cursor is.
  document.querySelectorAll(".cite-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var marker = "[#" + button.dataset.noteId + "]";
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var before = textarea.value.slice(0, end);
      var spacer = before && !/\s$/.test(before) ? " " : "";
      textarea.value = before + spacer + marker + textarea.value.slice(end);
      var caret = end + spacer.length + marker.length;
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
      if (start !== end) textarea.setSelectionRange(start, caret);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      statusLine.textContent = t("Cited note {id}", { id: button.dataset.noteId }) + " · " + stateWords();
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty() || state.failures > 0) {
      keepLocally();
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Text kept in this browser after a failed save, from the same starting revision: offer it.
  function offerKeptText() {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (error) { kept = null; }
    if (!kept || kept.body === textarea.value || kept.base !== baseRevision()) return;
    var banner = document.createElement("div");
    banner.className = "panel panel--warning restore-banner";
    banner.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = t("This browser kept text that was not saved last time.");
    var use = document.createElement("button");
    use.type = "button";
    use.className = "button";
    use.textContent = t("Put it back");
    use.addEventListener("click", function () {
      textarea.value = kept.body;
      banner.remove();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button button--secondary";
    drop.textContent = t("Discard it");
    drop.addEventListener("click", function () { forgetLocally(); banner.remove(); });
    banner.append(text, use, drop);
    statusLine.after(banner);
  }

  offerKeptText();
  setInterval(showStatus, 5000);
}
