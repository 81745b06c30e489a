// The Demo Day stage in the browser: countdowns, HLS playback, and keeping the "now live"
// banner, the stage and the agenda up to date. An enhancement: every page says the same
// without it, as of when it was loaded.
//
// How it stays current: the parts of a page that show the programme carry
// [data-stage-part] (an id) and [data-stage-key] (what they show). When the programme may
// have changed (a session boundary passes, or the live socket of a page with live parts
// brings `live` {session, state} or `spotlight` {exhibit} from the host; a page without
// one, like the agenda, checks when it becomes visible again), the page is fetched again and each part whose key
// changed is swapped; a part with the same key stays, so a playing video goes on playing.
// The banner region (#stage-banner, role=status) keeps its element and gets new children,
// so screen readers announce it, politely.
//
// Time: the server's clock may be a rehearsal's, so /api/stage.json gives its "now"; the
// countdown runs on that clock. The countdown's visible digits are hidden from screen
// readers; a visually hidden sentence says the minutes left and changes once a minute.
//
// DOM hooks: body[data-stage-until] (ISO moment of the next session boundary, or ""),
// .countdown[data-countdown-to] with .countdown-clock and .countdown-text, data-t-minutes
// (the sentence's plural forms by Intl.PluralRules category, "{n}" for the minutes) and
// data-t-zero, video[data-hls-src].
// window.galleryStage = {offset(), refresh()} for tests.

import { bindEmbeds } from "./embed.js";

const HLS_TYPE = "application/vnd.apple.mpegurl";
let offset = 0; // server clock minus browser clock, in ms
let boundaryTimer = 0;
let refreshing = null;

const serverNow = () => Date.now() + offset;

async function syncClock() {
  try {
    const sent = Date.now();
    const response = await fetch("/api/stage.json", { cache: "no-store", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    const received = Date.now();
    const now = Date.parse(data.now);
    if (!Number.isNaN(now)) offset = now - (sent + received) / 2;
  } catch {
    // Offline: count on the browser's clock.
  }
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** Return "Starts in n minutes" in the page's language, in the plural form `n` takes. */
function minutesText(element, n) {
  let forms = {};
  try {
    forms = JSON.parse(element.dataset.tMinutes || "{}");
  } catch {
    // a broken attribute: no sentence rather than a broken countdown
  }
  const form = forms[new Intl.PluralRules(document.documentElement.lang).select(n)] ?? forms.other;
  return (form || "").replace("{n}", String(n));
}

function tickCountdown(element) {
  const target = Date.parse(element.dataset.countdownTo);
  if (Number.isNaN(target)) return false;
  const left = Math.max(0, Math.ceil((target - serverNow()) / 1000));
  const clock = element.querySelector(".countdown-clock");
  const text = element.querySelector(".countdown-text");
  const hours = Math.floor(left / 3600);
  const minutes = Math.floor((left % 3600) / 60);
  const seconds = left % 60;
  if (clock) {
    clock.textContent = hours ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
    clock.hidden = false;
  }
  const wholeMinutes = Math.ceil(left / 60);
  const sentence = left === 0 ? element.dataset.tZero : minutesText(element, wholeMinutes);
  // Only when it changes: screen readers reading the page find the current minute, not a ticker.
  if (text && text.textContent !== sentence) text.textContent = sentence || "";
  element.dataset.secondsLeft = String(left);
  return left > 0;
}

function startCountdowns(root) {
  for (const element of root.querySelectorAll(".countdown[data-countdown-to]")) {
    if (element.dataset.countdownBound) continue;
    element.dataset.countdownBound = "1";
    if (!tickCountdown(element)) continue;
    const timer = setInterval(() => {
      if (!element.isConnected || !tickCountdown(element)) clearInterval(timer);
    }, 1000);
  }
}

async function startHls(root) {
  for (const video of root.querySelectorAll("video[data-hls-src]")) {
    if (video.dataset.hlsBound) continue;
    video.dataset.hlsBound = "1";
    if (video.canPlayType(HLS_TYPE)) continue; // Safari, iOS: native HLS through <source>
    const { default: Hls } = await import("../vendor/hls.js/hls.min.mjs");
    if (!Hls.isSupported()) continue;
    const hls = new Hls({ enableWorker: false, lowLatencyMode: true });
    hls.loadSource(video.dataset.hlsSrc);
    hls.attachMedia(video);
  }
}

function enhance(root) {
  startCountdowns(root);
  startHls(root);
  bindEmbeds(root);
}

/** Fetch this page again and swap the programme parts whose key changed. */
async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      // With a query, so that a web server serving the pages as files hands this request to
      // the gallery, which knows the programme's latest state (docs/deploy.md).
      const response = await fetch(`${location.pathname}?live`, { cache: "no-cache", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const part of document.querySelectorAll("[data-stage-part][id]")) {
        const replacement = fresh.getElementById(part.id);
        if (!replacement || replacement.dataset.stageKey === part.dataset.stageKey) continue;
        if (part.getAttribute("role") === "status") {
          // Keep the live region's element: only its content changes, and is announced.
          part.replaceChildren(...Array.from(replacement.childNodes).map((n) => document.importNode(n, true)));
          part.dataset.stageKey = replacement.dataset.stageKey;
        } else {
          const adopted = document.importNode(replacement, true);
          part.replaceWith(adopted);
          enhance(adopted);
        }
      }
      const until = fresh.body?.dataset.stageUntil;
      if (until !== undefined) document.body.dataset.stageUntil = until;
      scheduleBoundary();
      document.dispatchEvent(new CustomEvent("gallery:stage-refreshed"));
    } catch {
      // Offline: the next event or boundary tries again.
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function scheduleBoundary() {
  clearTimeout(boundaryTimer);
  const until = Date.parse(document.body.dataset.stageUntil || "");
  if (Number.isNaN(until)) return;
  // A little after the boundary, so the server is past it too; timers cap at ~24 days.
  const wait = Math.min(until - serverNow() + 500, 2 ** 31 - 1);
  boundaryTimer = setTimeout(refresh, Math.max(0, wait));
}

function listen() {
  const socket = window.galleryLive?.socket;
  if (!socket) {
    // Pages without a live part (the agenda) open no socket of their own: they change at the
    // session boundaries, and catch up on the hosts' decisions when the visitor comes back.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") refresh();
    });
    return;
  }
  socket.on("live", refresh);
  socket.on("spotlight", refresh);
  // Back from a disconnection: events may have been missed.
  socket.io.on("reconnect", refresh);
}

async function start() {
  startHls(document);
  bindEmbeds(document);
  listen();
  // Countdowns wait for the server's clock: it may be a rehearsal's, years away.
  await syncClock();
  startCountdowns(document);
  scheduleBoundary();
  window.galleryStage = Object.freeze({ offset: () => offset, refresh });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
