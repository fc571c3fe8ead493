/* Facilitate, the page scripts' words in the page's language. The server puts the messages of the
 * page's language in a data block (#script-catalogue); without one the scripts' own English words
 * are used. Placeholders are written {name} and filled from `params`; nothing here is HTML.
 * Messages are found by `pybabel extract` through the keywords t and tn (babel.cfg). */
const block = document.getElementById("script-catalogue");
const catalogue = block ? JSON.parse(block.textContent) : { lang: "en", messages: {}, plurals: {} };

/* Which plural form a count takes, by language (the same rules as the catalogues' headers). */
const PLURAL = {
  en: (n) => (n === 1 ? 0 : 1),
  cy: (n) => (n === 0 ? 0 : n === 1 ? 1 : n === 2 ? 2 : n === 3 ? 3 : n === 6 ? 4 : 5),
};

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
}

/** The page's language: "en" or "cy". */
export const language = catalogue.lang;

/** ``message`` in the page's language, with its {placeholders} filled. */
export function t(message, params) {
  return fill(catalogue.messages[message] || message, params);
}

/** The form of ``singular``/``plural`` for ``n`` in the page's language; {n} is filled too. */
export function tn(singular, plural, n, params) {
  const values = Object.assign({ n: n }, params || {});
  const forms = catalogue.plurals[singular];
  const rule = PLURAL[catalogue.lang] || PLURAL.en;
  if (forms && forms[rule(n)]) return fill(forms[rule(n)], values);
  return fill(n === 1 ? singular : plural, values);
}
