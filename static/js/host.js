// The host console, live: an enhancement over forms that work without JavaScript.
//
// - Forms post in the background (the same POST, asking for JSON); the answer's message
//   goes to the polite status region #host-status, and the page's parts are refreshed.
// - Attendance follows the `occupancy` events ({rooms: {slug: count}, total}).
// - The questions list is refreshed when the session's stage room gets `questions`
//   (the console's socket enters that room, invisible, to hear it).
//
// DOM hooks: .host-console[data-session][data-stage-room], #host-status, #host-total,
// [data-room-now=slug] ("" for the total, "@lobby" for the lobby), #questions-list, #agenda, #chat, #stage.

import { io } from "../vendor/socket.io/socket.io.esm.min.js";

const root = document.querySelector(".host-console");
const status = document.getElementById("host-status");
const REFRESHED = ["agenda", "questions-list", "chat", "stage", "attendance"];
const REFRESH_DELAY = 300; // ms: coalesce bursts of `questions` events into one fetch

function say(message, ok) {
  if (!status) return;
  const p = document.createElement("p");
  p.className = `host-message host-message-${ok ? "status" : "error"}`;
  p.textContent = message;
  status.replaceChildren(p);
}

/** Return a selector that finds the same control again in a refreshed part, if any. */
function focusKey(element) {
  if (!element || element === document.body) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  const form = element.closest("form");
  if (!form) return null;
  const action = `form[action="${CSS.escape(form.getAttribute("action"))}"]`;
  if (element.name && element.value) {
    return `${action} [name="${CSS.escape(element.name)}"][value="${CSS.escape(element.value)}"]`;
  }
  return `${action} [type="submit"]`;
}

/** Fetch the console again and swap in its parts, keeping the keyboard focus where it was. */
async function refresh() {
  const response = await fetch(location.pathname + location.search, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (response.redirected || !response.ok) {
    if (response.redirected) location.reload(); // logged out or expired: show the login
    return;
  }
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const key = focusKey(document.activeElement);
  for (const id of REFRESHED) {
    const old = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (old && next) old.replaceWith(document.adoptNode(next));
  }
  const summary = fresh.querySelector(".host-bar-summary");
  document.querySelector(".host-bar-summary")?.replaceWith(document.adoptNode(summary));
  if (key && !document.activeElement?.closest("form")) {
    document.querySelector(key)?.focus();
  }
}

let pending = null;
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    refresh().catch(() => {});
  }, REFRESH_DELAY);
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (form.method.toLowerCase() !== "post" || form.classList.contains("host-logout")) return;
  event.preventDefault();
  const button = event.submitter;
  const data = new FormData(form, button);
  button?.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const answer = await response.json().catch(() => ({ ok: false, message: "Not done: the server did not answer." }));
    say(answer.message, answer.ok);
    if (answer.ok && form.querySelector("textarea")) form.reset();
    await refresh();
  } catch {
    say("Not done: the server cannot be reached. Try again.", false);
  } finally {
    button?.removeAttribute("aria-busy");
  }
});

function applyOccupancy(data) {
  if (!data || typeof data !== "object" || !data.rooms) return;
  for (const cell of document.querySelectorAll("[data-room-now]")) {
    const slug = cell.dataset.roomNow;
    // "@lobby" is the lobby (docs/protocol.md), "" the total.
    const count = slug === "@lobby" ? data.lobby : slug ? data.rooms[slug] : data.total;
    if (typeof count === "number") cell.textContent = String(count);
  }
  const total = document.getElementById("host-total");
  if (total && typeof data.total === "number") {
    total.textContent = String(data.total);
    total.dataset.count = String(data.total);
  }
}

if (root) {
  const socket = io({ transports: ["websocket", "polling"] });
  socket.on("connect", () => {
    const room = root.dataset.stageRoom;
    if (room) socket.emit("enter", { room, name: "Host", invisible: true }, () => {});
    fetch("/api/presence.json", { credentials: "same-origin" })
      .then((r) => r.json())
      .then(applyOccupancy)
      .catch(() => {});
  });
  socket.on("occupancy", applyOccupancy);
  socket.on("questions", (event) => {
    if (!event || event.session === root.dataset.session) refreshSoon();
  });
  socket.on("live", refreshSoon);
  socket.on("spotlight", refreshSoon);
  socket.on("chat", refreshSoon);
  socket.on("chat_hidden", refreshSoon);
  window.galleryHost = { socket, refresh };
}
