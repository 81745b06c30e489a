// The visitor's pseudonym, visibility and avatar, kept in localStorage for the next visit.
// There are no accounts: the pseudonym is optional and the number behind the default name is random.

import { colourPicker, pickedColour } from "./live-welcome.js";

const STORAGE_KEY = "gallery.live.identity";
const TOKEN_KEY = "gallery.live.token";

const COLOUR = /^#[0-9a-f]{6}$/; // the shape of the palette's colours (gallery/presence/colours.py)

/** Return `value` if it is a colour as the server sends them, else "". */
export function validColour(value) {
  return typeof value === "string" && COLOUR.test(value) ? value : "";
}

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
    number: Number.isInteger(stored?.number) ? stored.number : 10 + Math.floor(Math.random() * 990),
    invisible: stored?.invisible === true,
    colour: validColour(stored?.colour), // the colour the visitor picked, "" for none
    lastColour: validColour(stored?.lastColour), // the one the last room gave, asked for again
    welcomed: stored?.welcomed === true, // the first-entry welcome was answered
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
  memory = {
    name: identity.name,
    number: identity.number,
    invisible: identity.invisible,
    colour: identity.colour,
    lastColour: identity.lastColour,
    welcomed: identity.welcomed,
  };
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

const graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
const EMOJI = /\p{Extended_Pictographic}/u;
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SIGN = /[\p{L}\p{N}]/u;

/** Split `text` into what readers see as characters (an accented letter, a whole emoji). */
function characters(text) {
  return graphemes ? Array.from(graphemes.segment(text), (part) => part.segment) : Array.from(text);
}

/**
 * Return the few characters an avatar shows for a name:
 * "Ada Lovelace" -> "AL" (first and last words), "Ada" -> "A", "Visiteur 828" -> "828" (a
 * word and a number of 2 to 4 digits, as default names are: the number tells them apart), "🦊 Renard" -> "🦊",
 * "山田太郎" -> "山" (one wide character fills the disc), anything else "?".
 */
export function initials(name) {
  const words = String(name).trim().split(/[\s\u3000]+/).filter(Boolean);
  if (!words.length) return "?";
  const first = characters(words[0]);
  if (EMOJI.test(first[0])) return first[0];
  if (words.length === 2 && /^\p{Nd}{2,4}$/u.test(words[1])) return words[1];
  const signs = [];
  for (const word of words.length > 1 ? [words[0], words[words.length - 1]] : words) {
    const sign = characters(word).find((c) => SIGN.test(c));
    if (!sign) continue;
    if (WIDE.test(sign)) return signs.length ? signs.join("") : sign;
    signs.push(sign);
  }
  return signs.join("").toLocaleUpperCase() || "?";
}

/**
 * Build an avatar: a disc of the colour the server gave (`colour`, "#rrggbb"; a neutral
 * grey when unknown) with initials; the name itself is left to the caller.
 */
export function avatar(name, { own = false, colour = "" } = {}) {
  const el = document.createElement("span");
  el.className = own ? "live-avatar live-avatar-own" : "live-avatar";
  // Through the CSSOM, which the page's style-src allows, unlike style attributes.
  if (validColour(colour)) el.style.setProperty("--live-avatar", colour);
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
  const colours = colourPicker(form.ownerDocument, t, identity.colour);
  invisibleBox.closest("p")?.before(colours);
  const hint = form.querySelector("#live-name-hint");
  const status = form.querySelector("#live-identity-status");
  let clearTimer = 0;

  function refresh() {
    nameInput.value = identity.name;
    nameInput.placeholder = defaultName(identity, t);
    for (const radio of colours.querySelectorAll("input")) radio.checked = radio.value === identity.colour;
    invisibleBox.checked = identity.invisible;
    if (hint) hint.textContent = t("nameHint", { name: defaultName(identity, t) });
  }

  function apply() {
    const limit = Number(nameInput.maxLength) > 0 ? Number(nameInput.maxLength) : 40;
    identity.name = nameInput.value.replace(/\s+/g, " ").trim().slice(0, limit);
    identity.invisible = invisibleBox.checked;
    identity.colour = pickedColour(colours);
    identity.welcomed = true;
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
