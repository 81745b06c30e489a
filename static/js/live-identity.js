// The visitor's pseudonym, visibility and avatar, kept in localStorage for the next visit.
// There are no accounts: the pseudonym is optional and the number behind the default name is random.

const STORAGE_KEY = "gallery.live.identity";
const TOKEN_KEY = "gallery.live.token";

// Eight avatar colours, each with white initials at a contrast above 4.5:1 (see live.css, .live-c0...).
export const PALETTE_SIZE = 8;

let memory = null; // used when localStorage is unavailable (private mode, blocked storage)

/** Load the stored identity, creating one with a random visitor number the first time. */
export function loadIdentity() {
  let stored = memory;
  try {
    stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null") ?? memory;
  } catch {
    // Unreadable or blocked storage: start afresh, in memory only.
  }
  const identity = {
    name: typeof stored?.name === "string" ? stored.name : "",
    number: Number.isInteger(stored?.number) ? stored.number : 1 + Math.floor(Math.random() * 999),
    invisible: stored?.invisible === true,
  };
  saveIdentity(identity);
  return identity;
}

let tokenMemory = null;

/**
 * Return the visitor's random token, drawn once and kept in localStorage. It is sent in the
 * Socket.IO `auth` so that votes count once per visitor across reloads (docs/protocol.md).
 */
export function visitorToken() {
  try {
    const stored = localStorage.getItem(TOKEN_KEY);
    if (stored && /^[A-Za-z0-9_-]{16,128}$/.test(stored)) return stored;
  } catch {
    // Blocked storage: a token for this page only.
  }
  if (!tokenMemory) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    tokenMemory = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  try {
    localStorage.setItem(TOKEN_KEY, tokenMemory);
  } catch {
    // Storage full or blocked.
  }
  return tokenMemory;
}

/** Store the identity for the next visit. */
export function saveIdentity(identity) {
  memory = { name: identity.name, number: identity.number, invisible: identity.invisible };
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(memory));
  } catch {
    // Storage full or blocked: the identity lasts for this page only.
  }
}

/** Return the default name: the one the server gave (see `enter`'s ack), else a stand-in. */
export function defaultName(identity, t) {
  return identity.given || t("defaultName", { n: identity.number });
}

/** Return the name shown for the visitor: the chosen pseudonym, else the default one. */
export function displayName(identity, t) {
  return identity.name || defaultName(identity, t);
}

/** Return up to two initials of a name ("Ada Lovelace" -> "AL", "Visitor 42" -> "V4"). */
export function initials(name) {
  // The first letter or digit of each of the first two words that have one; punctuation is skipped.
  const letters = String(name)
    .split(/\s+/)
    .map((word) => word.match(/[\p{L}\p{N}]/u)?.[0])
    .filter(Boolean)
    .slice(0, 2);
  return letters.join("").toLocaleUpperCase() || "?";
}

/** Return the palette index for a name, so every visitor sees the same colour for it. */
export function colourIndex(name) {
  let hash = 2166136261; // FNV-1a: small, stable, well spread
  for (const ch of String(name)) {
    hash ^= ch.codePointAt(0);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash % PALETTE_SIZE;
}

/** Build an avatar: a coloured disc with initials; the name itself is left to the caller. */
export function avatar(name, { own = false } = {}) {
  const el = document.createElement("span");
  el.className = `live-avatar live-c${colourIndex(name)}${own ? " live-avatar-own" : ""}`;
  el.setAttribute("aria-hidden", "true");
  el.textContent = initials(name);
  return el;
}

/** Build a visually hidden text, read by screen readers only. */
export function srText(text) {
  const el = document.createElement("span");
  el.className = "live-sr";
  el.textContent = text;
  return el;
}

/**
 * Wire the pseudonym form (#live-identity-form): fill it from the identity, and on submit
 * (or when the invisible box changes) store the new identity and call `onChange(identity)`.
 * Returns a function that shows the identity again (e.g. once the server gave a default name).
 */
export function bindIdentityForm(form, identity, t, onChange) {
  const nameInput = form.querySelector("#live-name");
  const invisibleBox = form.querySelector("#live-invisible");
  const hint = form.querySelector("#live-name-hint");
  const status = form.querySelector("#live-identity-status");
  let clearTimer = 0;

  function refresh() {
    nameInput.value = identity.name;
    nameInput.placeholder = defaultName(identity, t);
    invisibleBox.checked = identity.invisible;
    if (hint) hint.textContent = t("nameHint", { name: defaultName(identity, t) });
  }

  function apply() {
    const limit = Number(nameInput.maxLength) > 0 ? Number(nameInput.maxLength) : 40;
    identity.name = nameInput.value.replace(/\s+/g, " ").trim().slice(0, limit);
    identity.invisible = invisibleBox.checked;
    saveIdentity(identity);
    refresh();
    if (status) {
      status.textContent = t("saved");
      clearTimeout(clearTimer);
      clearTimer = setTimeout(() => { status.textContent = ""; }, 4000);
    }
    onChange(identity);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  invisibleBox.addEventListener("change", apply);
  refresh();
  return refresh;
}
