// The floor plan, live: visitors as dots in their room, or at the stand of the exhibit they look
// at, moving with presence; a count per room; the visitor's own dot marked "you".
//
// Reads the `plan` feed (docs/protocol.md: `watch {plan: true}`, then `plan` events).
// DOM hooks (stable; browser tests rely on them):
//   svg.plan[data-plan]                 the lobby's plan (templates/_plan.html)
//   g.plan-room[data-plan-room=slug]    a room: .plan-floor (its rect), g.plan-stand[data-plan-exhibit]
//   text.plan-room-meta tspan.plan-count  added: " · 3 visitors" in the room's link (read with it)
//   g.plan-dots                         added, aria-hidden: one g.plan-dot[data-visitor-id][data-place]
//                                       per listed visitor (data-place = room slug, or slug/exhibit);
//                                       .plan-dot-own for the visitor's own, labelled "you"
// Dots move with a CSS transition on `transform` (none under prefers-reduced-motion).

import { validColour } from "./live-identity.js";

const SVG = "http://www.w3.org/2000/svg";
const DOT = 6;
const STEP = 13; // between two dots
const LOBBY = "@lobby";

function svgEl(doc, name, attrs = {}) {
  const el = doc.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

function number(el, name) {
  return Number.parseFloat(el.getAttribute(name) || "0");
}

export class LivePlan {
  /** `ctx` carries: doc, svg, t, selfId (a function returning the visitor's id, or null). */
  constructor(ctx) {
    this.ctx = ctx;
    const { doc, svg } = ctx;
    this.rooms = new Map();
    for (const group of svg.querySelectorAll("[data-plan-room]")) {
      const floor = group.querySelector(".plan-floor");
      if (!floor) continue;
      const box = { x: number(floor, "x"), y: number(floor, "y"), w: number(floor, "width"), h: number(floor, "height") };
      const stands = new Map();
      for (const stand of group.querySelectorAll("[data-plan-exhibit]")) {
        const rect = stand.querySelector("rect");
        if (rect) stands.set(stand.dataset.planExhibit, { x: number(rect, "x") + number(rect, "width") / 2, y: number(rect, "y") });
      }
      const meta = group.querySelector(".plan-room-meta");
      let count = null;
      if (meta) {
        count = svgEl(doc, "tspan", { class: "plan-count" });
        meta.append(count);
      }
      this.rooms.set(group.dataset.planRoom, { box, stands, count });
    }
    const way = svg.querySelector(".plan-way-in path");
    this.lobby = way ? way.getBBox() : null;
    this.layer = svgEl(doc, "g", { class: "plan-dots", "aria-hidden": "true" });
    svg.append(this.layer);
    this.dots = new Map();
    // On a phone the plan is wider than its frame: start with the entrance in view.
    const frame = svg.closest("[data-plan-frame]");
    const entrance = svg.querySelector(".is-entrance .plan-floor");
    if (frame && entrance && frame.scrollWidth > frame.clientWidth) {
      const box = entrance.getBoundingClientRect();
      const outer = frame.getBoundingClientRect();
      frame.scrollLeft += box.left + box.width / 2 - (outer.left + outer.width / 2);
    }
  }

  /** Where the `index`-th of `total` dots of one place stands. */
  spot(slug, exhibit, index) {
    if (slug === LOBBY) {
      if (!this.lobby) return null;
      const b = this.lobby;
      return { x: b.x + b.width + 96 + index * STEP, y: b.y + b.height - DOT };
    }
    const room = this.rooms.get(slug);
    if (!room) return null;
    const stand = exhibit ? room.stands.get(exhibit) : null;
    if (stand) {
      // Gathered above the stand, in rows of five.
      const row = Math.floor(index / 5);
      const col = index % 5;
      return { x: stand.x + (col - 2) * (STEP - 2), y: stand.y - 9 - row * (STEP - 2) };
    }
    // On the floor: rows in the right half of the room, clear of its title and stands.
    const { box } = room;
    const row = Math.floor(index / 8);
    const col = index % 8;
    return { x: box.x + box.w - 18 - col * STEP, y: box.y + 78 + row * STEP };
  }

  /** Apply a `plan` snapshot {rooms: {slug: {count, visitors}}, total}. */
  apply(plan) {
    if (!plan || typeof plan !== "object" || !plan.rooms || typeof plan.rooms !== "object") return;
    const { doc, t } = this.ctx;
    const self = this.ctx.selfId();
    const seen = new Set();
    for (const [slug, room] of this.rooms) {
      const data = plan.rooms[slug];
      const n = data && Number.isInteger(data.count) ? data.count : 0;
      if (room.count) room.count.textContent = n > 0 ? ` · ${t("roomCount", { n })}` : "";
    }
    for (const [slug, data] of Object.entries(plan.rooms)) {
      const visitors = Array.isArray(data?.visitors) ? data.visitors : [];
      const perPlace = new Map();
      for (const visitor of visitors) {
        if (!visitor || typeof visitor.id !== "string") continue;
        const exhibit = typeof visitor.exhibit === "string" ? visitor.exhibit : null;
        const key = exhibit && this.rooms.get(slug)?.stands.has(exhibit) ? `${slug}/${exhibit}` : slug;
        const index = perPlace.get(key) || 0;
        perPlace.set(key, index + 1);
        const at = this.spot(slug, key === slug ? null : exhibit, index);
        if (!at) continue;
        seen.add(visitor.id);
        this.place(doc, visitor, key, at, visitor.id === self, t);
      }
    }
    for (const [id, dot] of this.dots) {
      if (!seen.has(id)) {
        dot.remove();
        this.dots.delete(id);
      }
    }
  }

  place(doc, visitor, key, at, own, t) {
    let dot = this.dots.get(visitor.id);
    const name = typeof visitor.name === "string" ? visitor.name : "";
    if (!dot) {
      dot = svgEl(doc, "g", { class: "plan-dot" });
      dot.dataset.visitorId = visitor.id;
      dot.append(svgEl(doc, "circle", { r: DOT }), svgEl(doc, "title"));
      this.layer.append(dot);
      this.dots.set(visitor.id, dot);
      // The first position is not a move: no transition from the plan's corner.
      dot.style.transition = "none";
      dot.style.transform = `translate(${at.x}px, ${at.y}px)`;
      dot.getBoundingClientRect();
      dot.style.transition = "";
    }
    const circle = dot.querySelector("circle");
    // The avatar's colour, the one presence gives (grey, as avatars, while unknown).
    circle.style.fill = validColour(visitor.colour) || "#595959";
    dot.querySelector("title").textContent = own ? `${name} (${t("you")})` : name;
    dot.classList.toggle("plan-dot-own", own);
    let label = dot.querySelector("text");
    if (own && !label) {
      label = svgEl(doc, "text", { y: -9, "text-anchor": "middle" });
      label.textContent = t("you");
      dot.append(label);
    } else if (!own && label) {
      label.remove();
    }
    dot.dataset.place = key;
    dot.style.transform = `translate(${at.x}px, ${at.y}px)`;
  }
}
