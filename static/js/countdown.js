// Count down to the gallery's opening on the lobby: "Opening in 3 days", then hours, minutes.
// Without this module the lobby still says when the gallery opens; the page reloads itself
// at the opening so that the rooms' links appear.

const element = document.querySelector("time[data-countdown]");
const lang = document.documentElement.lang || "en";

const UNITS = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

function tick() {
  const left = Math.round((Date.parse(element.dateTime) - Date.now()) / 1000);
  if (left <= 0) {
    window.location.reload();
    return;
  }
  const [unit, size] = UNITS.find(([, seconds]) => left >= seconds);
  const format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  element.textContent = format.format(Math.floor(left / size), unit);
  const wait = unit === "second" ? 1000 : Math.min(60000, (left % size || size) * 1000);
  window.setTimeout(tick, wait);
}

if (element && !Number.isNaN(Date.parse(element.dateTime))) {
  element.closest("[hidden]")?.removeAttribute("hidden");
  tick();
}
