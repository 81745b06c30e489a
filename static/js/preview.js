// The organiser's preview (`gallery serve --reload`; production pages never load this script).
//
// Over the page's Socket.IO connection (live.js), the server says after each reload of the
// room files which content version it serves and which errors the files hold (`preview`,
// docs/protocol.md). The page then:
//   - asks for its own URL again and compares the version the server stamped into it
//     (<meta name="gallery-page">, a hash of the page as rendered): only a page that really
//     changed reloads, and it comes back at the same scroll position;
//   - shows the errors in #preview-problems (a non-modal dialog: file:line, message, hint, the
//     offending line with a caret), announced once through #preview-alert; it goes away when
//     the files are fixed, and Close or Escape hides it until the errors change.
//
// DOM hooks (browser tests rely on them): #preview-problems[hidden], its
// li.preview-problem > .preview-where, .preview-message, .preview-hint, pre.preview-source;
// <html data-preview-checked> counts the page checks done (for tests).

import { pageLanguage, translator } from "./live-i18n.js";

const SCROLL_KEY = "gallery.preview.scroll";

function pageVersion(html) {
  const found = /<meta name="gallery-page" content="([^"]*)"/.exec(html);
  return found ? found[1] : null;
}

/** Put the page back where the organiser was reading it before it reloaded. */
function restoreScroll() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
    sessionStorage.removeItem(SCROLL_KEY);
  } catch {
    return;
  }
  if (!saved || saved.path !== location.pathname) return;
  // The live parts above fill in after this runs; the browser's scroll anchoring would then
  // move the page down by their height. Off until the organiser scrolls: once everything is
  // in, the same position shows the same text as before the reload.
  const root = document.documentElement;
  root.classList.add("preview-restored");
  const release = () => root.classList.remove("preview-restored");
  for (const name of ["wheel", "touchstart", "keydown"]) {
    addEventListener(name, release, { once: true, passive: true });
  }
  const back = () => window.scrollTo(saved.x, saved.y);
  back();
  // Images above may load later and push the text down: once more when everything is in.
  if (document.readyState !== "complete") addEventListener("load", back, { once: true });
}

function reloadKeepingScroll(url) {
  try {
    sessionStorage.setItem(
      SCROLL_KEY,
      JSON.stringify({ path: new URL(url || location.href).pathname, x: scrollX, y: scrollY }),
    );
  } catch {
    // no storage: the browser's own scroll restoration still applies
  }
  if (url) location.replace(url);
  else location.reload();
}

function caret(source, column) {
  // Tabs kept as tabs, so that the caret lines up however wide the browser draws them.
  return source.slice(0, column - 1).replace(/[^\t]/g, " ") + "^";
}

class Problems {
  constructor(doc, t) {
    this.doc = doc;
    this.t = t;
    this.dismissed = null; // the problems the organiser closed, as JSON
    this.shown = "[]";
    this.alert = doc.createElement("div");
    this.alert.id = "preview-alert";
    this.alert.className = "preview-sr";
    this.alert.setAttribute("role", "alert");
    this.root = doc.createElement("section");
    this.root.id = "preview-problems";
    this.root.className = "preview-problems";
    this.root.hidden = true;
    this.root.setAttribute("role", "dialog");
    this.root.setAttribute("aria-modal", "false");
    this.root.setAttribute("aria-labelledby", "preview-problems-title");
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
    doc.body.append(this.alert, this.root);
  }

  close() {
    this.dismissed = this.shown;
    this.root.hidden = true;
  }

  show(problems, more) {
    const key = JSON.stringify([problems, more]);
    if (key === this.shown) return;
    this.shown = key;
    if (!problems.length) {
      this.root.hidden = true;
      this.root.replaceChildren();
      this.alert.textContent = "";
      return;
    }
    const { doc, t } = this;
    const n = problems.length + more;
    const head = doc.createElement("div");
    head.className = "preview-head";
    const title = doc.createElement("h2");
    title.id = "preview-problems-title";
    title.textContent = t("previewErrors", { n });
    const close = doc.createElement("button");
    close.type = "button";
    close.className = "preview-close";
    close.textContent = t("previewClose");
    close.addEventListener("click", () => this.close());
    head.append(title, close);
    const note = doc.createElement("p");
    note.className = "preview-note";
    note.textContent = t("previewNote");
    const list = doc.createElement("ol");
    list.className = "preview-list";
    for (const item of problems) {
      const li = doc.createElement("li");
      li.className = "preview-problem";
      const where = doc.createElement("p");
      where.className = "preview-where";
      where.textContent = `${item.file}:${item.line}${item.column ? `:${item.column}` : ""}`;
      const message = doc.createElement("p");
      message.className = "preview-message";
      message.textContent = item.message;
      li.append(where, message);
      if (typeof item.hint === "string" && item.hint) {
        const hint = doc.createElement("p");
        hint.className = "preview-hint";
        hint.textContent = item.hint;
        li.append(hint);
      }
      if (typeof item.source === "string" && item.source.trim()) {
        const pre = doc.createElement("pre");
        pre.className = "preview-source";
        const number = doc.createElement("span");
        number.className = "preview-line-number";
        number.setAttribute("aria-hidden", "true");
        number.textContent = `${item.line} | `;
        const code = doc.createElement("code");
        code.textContent = item.source;
        pre.append(number, code);
        if (item.column) {
          const mark = doc.createElement("span");
          mark.className = "preview-caret";
          mark.setAttribute("aria-hidden", "true");
          mark.textContent = `\n${" ".repeat(number.textContent.length)}${caret(item.source, item.column)}`;
          pre.append(mark);
        }
        li.append(pre);
      }
      list.append(li);
    }
    if (more) {
      const rest = doc.createElement("li");
      rest.className = "preview-more";
      rest.textContent = t("previewMore", { n: more });
      list.append(rest);
    }
    this.root.replaceChildren(head, note, list);
    this.alert.textContent = title.textContent;
    this.root.hidden = key === this.dismissed;
  }
}

function start(socket) {
  const doc = document;
  const own = doc.querySelector('meta[name="gallery-page"]')?.content ?? null;
  const problems = new Problems(doc, translator(pageLanguage(doc)));
  let version = null;
  let checking = false;
  let again = false;
  let checks = 0;

  // Ask for this page again and reload it if what the server would show now differs.
  async function check() {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      const url = location.href.split("#")[0];
      const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
      if (response.redirected) {
        reloadKeepingScroll(response.url + location.hash); // renamed: follow it
        return;
      }
      if (pageVersion(await response.text()) !== own) {
        reloadKeepingScroll(null);
        return;
      }
    } catch {
      // the server is restarting: the next `preview` or reconnection checks again
    } finally {
      checking = false;
      doc.documentElement.dataset.previewChecked = String(++checks);
    }
    if (again) {
      again = false;
      check();
    }
  }

  function apply(state, connected) {
    if (!state || typeof state.version !== "number") return;
    problems.show(Array.isArray(state.problems) ? state.problems : [], Number(state.more) || 0);
    // On (re)connecting, changes may have been missed: check whatever the version says.
    if (connected || state.version !== version) {
      version = state.version;
      check();
    }
  }

  function ask() {
    socket.emit("preview", null, (ack) => {
      if (ack && ack.ok) apply(ack, true);
    });
  }

  socket.on("preview", (state) => apply(state, false));
  socket.on("connect", ask);
  if (socket.connected) ask();
}

// This script puts the page back where it was after its own reloads; the browser's restoration
// would aim at an element of the page before the live parts filled in, a little off.
history.scrollRestoration = "manual";
restoreScroll();
// Pages with a live part share live.js's connection; the others (the agenda, a 404) open
// their own, since the preview must reload them too.
async function ownSocket() {
  const { io } = await import("../vendor/socket.io/socket.io.esm.min.js");
  return io({ transports: ["websocket", "polling"], tryAllTransports: true });
}

function begin() {
  if (window.galleryLive) start(window.galleryLive.socket);
  else if (!document.querySelector('script[src*="/js/live.js"]')) ownSocket().then(start);
}

// live.js starts once the document is parsed; this module may run before it did.
if (document.readyState === "loading") addEventListener("DOMContentLoaded", begin, { once: true });
else begin();
