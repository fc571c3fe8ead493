/* Facilitate, icons drawn inline, so they show on every machine whatever fonts it has (a symbol such
 * as ▶ turns into a coloured emoji on some systems, and into an empty box where no font holds it).
 * They take the text's colour and size and are hidden from screen readers: the words or the
 * button's label beside them say the same. The same drawings as templates/_macros/icons.html. */
const SVG = "http://www.w3.org/2000/svg";
const DRAWINGS = {
  star: { d: "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z", fill: true },
  "star-outline": { d: "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z" },
  left: { d: "M15 5l-7 7 7 7" },
  right: { d: "M9 5l7 7-7 7" },
  pencil: { d: "M4 20l1-4.5L16.5 4a2 2 0 0 1 2.8 0l.7.7a2 2 0 0 1 0 2.8L8.5 19zM14 6.5l3.5 3.5" },
  cross: { d: "M6 6l12 12M18 6L6 18" },
  grip: { d: "M9 5h.01M15 5h.01M9 12h.01M15 12h.01M9 19h.01M15 19h.01", wide: true },
  up: { d: "M12 5l7 12H5z", fill: true },
};

/** An inline SVG icon, or an empty text node for a name with no drawing. */
export function icon(name) {
  const drawing = DRAWINGS[name];
  if (!drawing) return document.createTextNode("");
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "1em");
  svg.setAttribute("height", "1em");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("fill", drawing.fill ? "currentColor" : "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", drawing.wide ? "4" : "2.2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", drawing.d);
  svg.appendChild(path);
  return svg;
}

/** ``node`` with an icon before its words. */
export function withIcon(name, node) {
  node.insertBefore(document.createTextNode(" "), node.firstChild);
  node.insertBefore(icon(name), node.firstChild);
  return node;
}
