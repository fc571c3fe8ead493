/* Facilitate: what every projector screen (theme wall, plenary wall) shares: the dark or light
 * scheme, kept per browser for every wall, and controls that show while the mouse moves. */

const SCHEME_KEY = "facilitate:wall-scheme";

/** Dark or light on `body`, toggled by `button`, the same choice on every wall of this browser. */
export function schemeSwitch(body, button) {
  function setScheme(scheme) {
    body.setAttribute("data-scheme", scheme);
    button.setAttribute("aria-pressed", scheme === "light" ? "true" : "false");
    try { window.localStorage.setItem(SCHEME_KEY, scheme); } catch (e) { /* not kept */ }
  }
  var saved = null;
  try { saved = window.localStorage.getItem(SCHEME_KEY); } catch (e) { /* none */ }
  setScheme(saved === "light" ? "light" : "dark");
  button.addEventListener("click", function () {
    setScheme(body.getAttribute("data-scheme") === "light" ? "dark" : "light");
  });
}

/** Show the controls (`controls-on` on `body`) while the mouse moves, for three seconds after. */
export function wakeControlsOnMouse(body) {
  var idle = null;
  document.addEventListener("mousemove", function () {
    body.classList.add("controls-on");
    window.clearTimeout(idle);
    idle = window.setTimeout(function () { body.classList.remove("controls-on"); }, 3000);
  });
}
