// Interface strings of the live parts. The server writes them into each page, in the page's
// language, as <script type="application/json" id="live-strings"> {lang, strings}: one
// gettext catalogue per language (gallery/locale/LANG.po, msgctxt "live" and "error") for the
// pages, the live scripts and default names. Plurals arrive keyed by Intl.PluralRules category.

let loaded = null;

/** Return {lang, strings} from the page's data block (empty strings if it is missing). */
function catalogue(doc = document) {
  if (loaded === null) {
    try {
      loaded = JSON.parse(doc.getElementById("live-strings")?.textContent || "null");
    } catch {
      loaded = null; // a broken block: keys show as themselves rather than breaking the page
    }
    loaded = { lang: loaded?.lang || "en", strings: loaded?.strings || {} };
  }
  return loaded;
}

/** Return the language the page's strings are in ("fr", "de"...), for plural rules. */
export function pageLanguage(doc = document) {
  return catalogue(doc).lang;
}

/** Return a translator for `lang`: t(key, {n, ...}) picks plural forms and fills {placeholders}. */
export function translator(lang) {
  const table = catalogue().strings;
  const plural = new Intl.PluralRules(lang);
  return function t(key, values = {}) {
    let text = table[key] ?? key;
    if (typeof text === "object") {
      text = text[plural.select(values.n ?? 0)] ?? text.other;
    }
    return String(text).replace(/\{(\w+)\}/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  };
}

/** Return the visitor-facing explanation of a server error code, in `lang`. */
export function errorText(lang, error) {
  const table = catalogue().strings.errors || {};
  return table[error] || String(error || table["internal error"]);
}

/** Fill every [data-i18n] element under `root` with its string, as text. */
export function fillStrings(root, t) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
}
