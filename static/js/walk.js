// Walk the exhibition with the arrow keys: ArrowLeft follows rel="prev", ArrowRight rel="next".
// Plain links keep working without this module; it only adds the shortcut.

const FORM_FIELDS = new Set(["INPUT", "TEXTAREA", "SELECT", "BUTTON"]);

function inFormField(element) {
  if (!element) return false;
  if (FORM_FIELDS.has(element.tagName)) return true;
  if (element.isContentEditable) return true;
  // Media controls and embedded players use the arrow keys themselves.
  return Boolean(element.closest("video, audio, iframe, [role='slider'], [role='textbox']"));
}

function follow(rel) {
  const link = document.querySelector(`a[rel~="${rel}"][href]`);
  if (link) window.location.assign(link.href);
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.repeat || event.isComposing) return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (inFormField(document.activeElement)) return;
  if (event.key === "ArrowLeft") {
    event.preventDefault();
    follow("prev");
  } else if (event.key === "ArrowRight") {
    event.preventDefault();
    follow("next");
  }
});
