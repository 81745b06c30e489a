// Walk the exhibition with the arrow keys, along the links the page already has:
// ArrowLeft follows rel="prev", ArrowRight rel="next", and ArrowUp rel="up" once the page is
// scrolled to its top (before that it scrolls, as visitors expect).
// The links work without this module; it only adds the keys and reveals the hint about them.

const FORM_FIELDS = new Set(["INPUT", "TEXTAREA", "SELECT", "BUTTON"]);
const KEYS = { ArrowLeft: "prev", ArrowRight: "next", ArrowUp: "up" };

function ownsArrows(element) {
  if (!element) return false;
  if (FORM_FIELDS.has(element.tagName)) return true;
  if (element.isContentEditable) return true;
  // Media controls, embedded players and composite widgets use the arrow keys themselves.
  return Boolean(
    element.closest(
      "video, audio, iframe, [role='slider'], [role='textbox'], [role='listbox'], " +
        "[role='tablist'], [role='menu'], [role='grid'], [role='tree'], [role='application']",
    ),
  );
}

function scrolledAbove(element) {
  // ArrowUp scrolls the page, or a scrolled box holding the focus, until it reaches the top.
  for (let node = element; node && node !== document.body; node = node.parentElement) {
    if (node.scrollTop > 0) return true;
  }
  return window.scrollY > 0;
}

function follow(rel) {
  const link =
    document.querySelector(`.pager a[rel~="${rel}"][href]`) ||
    document.querySelector(`a[rel~="${rel}"][href]`);
  if (!link) return false;
  window.location.assign(link.href);
  return true;
}

for (const hint of document.querySelectorAll("[data-walk-hint]")) hint.hidden = false;

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.repeat || event.isComposing) return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const rel = KEYS[event.key];
  if (!rel || ownsArrows(document.activeElement)) return;
  if (rel === "up" && scrolledAbove(document.activeElement)) return;
  if (follow(rel)) event.preventDefault();
});
