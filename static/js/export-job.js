// The report page: how far the report has got, until it is ready (or could not be made).
import { t } from "./i18n.js";

const page = document.querySelector(".export-job");
const message = page.querySelector(".export-job__message");
const bar = page.querySelector(".export-job__bar");
const steps = page.querySelector(".export-job__steps");
const download = page.querySelector(".export-job__download");
const later = page.querySelector(".export-job__later");
const EVERY = 1000;

function show(status) {
  if (message.textContent !== status.message) message.textContent = status.message;
  const finished = status.status === "ready" || status.status === "failed";
  bar.max = status.total || 1;
  bar.value = status.done;
  bar.textContent = t("{done} of {total}", { done: status.done, total: status.total });
  bar.hidden = finished;
  steps.textContent = status.steps;
  steps.hidden = finished;
  later.hidden = finished;
  if (status.file) {
    const link = download.querySelector("a");
    link.href = status.file;
    link.textContent = status.label;
    download.hidden = false;
  }
  if (status.status === "failed") window.location.reload(); // the page then offers to try again
  return finished;
}

async function poll() {
  try {
    const answer = await fetch(page.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (answer.ok && show(await answer.json())) return;
  } catch (error) {
    // The Wi-Fi dropped: ask again shortly.
  }
  window.setTimeout(poll, EVERY);
}

if (!bar.hidden || !later.hidden) window.setTimeout(poll, EVERY);
