import { t } from "./i18n.js";

// Copy buttons: `data-copy` names the element whose text the button copies.
// The clipboard API needs a secure page; on a laptop's plain http address the text is selected and
// copied the older way, and when even that is refused it stays selected for Ctrl+C.

function selectText(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

async function copyText(element) {
  const text = element.textContent.trim();
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Fall through to the selection.
    }
  }
  selectText(element);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

// One live region for the page, so that a screen reader hears what happened.
const status = document.createElement("p");
status.className = "visually-hidden";
status.setAttribute("role", "status");
document.body.append(status);

function announce(button, message) {
  status.textContent = message;
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  button.textContent = message;
  clearTimeout(button.restoreTimer);
  button.restoreTimer = setTimeout(() => { button.textContent = label; }, 3000);
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const target = document.getElementById(button.dataset.copy);
  if (!target) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const copied = await copyText(target);
    announce(button, copied ? t("Copied") : t("Selected: press Ctrl+C to copy"));
  });
}

