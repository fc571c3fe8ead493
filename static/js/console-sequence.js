/* Facilitate, the console's facilitation sequence: write in silence → reveal the notes → vote
 * with hidden counts → reveal the votes → discuss. One button per step; with minutes filled in,
 * the shared timer runs and the server moves the room to the next step when it ends. After the
 * votes are revealed, the notes with the most votes, ranked. Text from people: textContent only. */
import { t, tn } from "./i18n.js";
import { $, el } from "./live.js";

const RANKED = 10;

/** Wire the panel: `send(event, payload, done)` and `applyTheme(theme)` are the console's own. */
export function sequencePanel({ send, applyTheme, say }) {
  const panel = $(".sequence-panel");
  if (!panel) return { theme() {}, notes() {} };
  const minutes = $("#step-minutes", panel);
  const buttons = panel.querySelectorAll("[data-step]");
  buttons.forEach((button) => {
    button.addEventListener("click", () => {
      const payload = { step: button.getAttribute("data-step") };
      const typed = minutes.value.trim();
      if (typed) {
        const value = Number(typed);
        if (!(value > 0 && value <= 240)) {
          say(t("Give the step from 1 to 240 minutes, or leave the minutes empty."), true);
          minutes.focus();
          return;
        }
        payload.seconds = Math.round(value * 60);
      }
      send("theme:step", payload, (answer) => {
        applyTheme(answer.theme);
        say(button.getAttribute("data-said") + (payload.seconds ? " " + t("The timer is running.") : ""));
      });
    });
  });
  let hidden = true;
  let step = null;
  return {
    theme(theme) {
      step = theme.step || null;
      hidden = Boolean(theme.settings.votes_hidden);
      buttons.forEach((b) => b.setAttribute("aria-pressed", b.getAttribute("data-step") === step ? "true" : "false"));
      const now = $(".sequence__now", panel);
      const current = step ? panel.querySelector("[data-step='" + step + "']") : null;
      let words = current ? t("Now: {step}.", { step: current.textContent.trim() }) : t("No step chosen: the room works freely.");
      if (theme.timer && theme.timer.advances && theme.timer.ends_at) words += " " + t("The next step starts when the timer ends.");
      now.textContent = words;
    },
    /** Called with the visible notes after each render: the ranked list once counts are shown. */
    notes(visible) {
      const section = $(".ranked", panel);
      const ranked = visible.filter((n) => n.votes > 0).sort((a, b) => b.votes - a.votes || a.id - b.id).slice(0, RANKED);
      section.hidden = hidden || ranked.length === 0;
      const list = $(".ranked__list", section);
      list.textContent = "";
      ranked.forEach((note) => {
        const item = el("li", "ranked__item");
        item.appendChild(el("span", "ranked__text", note.text)).setAttribute("dir", "auto");
        item.appendChild(el("span", "ranked__votes", tn("{n} vote", "{n} votes", note.votes)));
        list.appendChild(item);
      });
    },
  };
}
