// Who is in the room: a Map of visitors kept from the `enter` ack snapshot and the
// incremental `presence` events, drawn in the "Here now" list and at the exhibit panels.

import { Arrivals } from "./live-arrivals.js";
import { avatar, displayName, srText, validColour } from "./live-identity.js";

const LIST_MAX = 200; // rows drawn in the "Here now" list (as many as an ack lists); the rest is summed up
const PANEL_MAX = 8; // avatars drawn at one exhibit panel before "+N"
const COUNT_INTERVAL = 3000; // least ms between two changes of the #presence-count live region

/**
 * Find the exhibit panels of the page: elements with data-exhibit (other than <body>), else
 * the list items or articles holding a link to an exhibit of this room (`exhibitOf(path)` reads
 * the exhibit slug of a link's path, null for other pages).
 */
function findPanels(doc, exhibitOf) {
  const panels = new Map();
  for (const el of doc.querySelectorAll("[data-exhibit]")) {
    if (el === doc.body || !el.dataset.exhibit || panels.has(el.dataset.exhibit)) continue;
    panels.set(el.dataset.exhibit, el);
  }
  if (panels.size || doc.body.dataset.exhibit) return panels;
  const main = doc.querySelector("main") || doc.body;
  for (const link of main.querySelectorAll("a[href]")) {
    const slug = exhibitOf(new URL(link.href, doc.baseURI).pathname);
    const panel = link.closest("li, article");
    if (!slug || slug.includes("/") || !panel || panels.has(slug) || panel.closest("nav, aside")) continue;
    panels.set(slug, panel);
  }
  return panels;
}

/** Return the title an exhibit panel shows, for "at <title>" texts. */
function panelTitle(panel) {
  const heading = panel.querySelector("[data-exhibit-title], h2, h3, h4");
  return heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
}

export class Presence {
  /**
   * `ctx` carries: doc, t, lang, room, lobby (room is the lobby), identity, exhibitUrl(slug), exhibitOf(path), exhibitTitle(slug).
   */
  constructor(ctx) {
    this.ctx = ctx;
    this.doc = ctx.doc;
    this.t = ctx.t;
    this.visitors = new Map(); // id -> {id, name, exhibit, colour, row}
    this.selfId = null;
    this.selfExhibit = ctx.exhibit || null;
    this.count = 0;
    this.list = this.doc.getElementById("live-visitors");
    this.others = this.doc.getElementById("live-others");
    this.heading = this.doc.getElementById("live-here-count");
    this.countEl = this.doc.getElementById("presence-count");
    this.countShownAt = 0;
    this.countTimer = 0;
    this.titles = new Map();
    this.panels = findPanels(this.doc, ctx.exhibitOf);
    this.slots = new Map(); // exhibit slug -> its .live-at-exhibit container
    for (const [slug, panel] of this.panels) {
      const title = panelTitle(panel);
      if (title) this.titles.set(slug, title);
    }
    this.dirtyPanels = new Set();
    this.frame = 0;
    this.selfRow = null;
    this.selfColour = "";
    this.arrivals = new Arrivals(ctx, this.doc.getElementById("live-arrivals"));
    this.jump = this.makeJump();
  }

  /**
   * On a phone the "Here now" list and the chat come after the whole page: a button-like link
   * fixed at the foot of the window leads there, hidden while they are in view. Fixed, so
   * that nothing on the page moves when it appears. Shown by live.css on narrow screens only.
   */
  makeJump() {
    const doc = this.doc;
    const root = doc.getElementById("live-here-title")?.closest("[data-live-root]");
    if (!root || typeof IntersectionObserver !== "function") return null;
    const jump = doc.createElement("a");
    jump.id = "live-jump";
    jump.className = "live-jump";
    jump.href = "#live-here-title";
    jump.hidden = true;
    jump.textContent = this.t("jumpToPeople", { n: 0 }); // its size from the start
    (doc.getElementById("main") || doc.body).append(jump); // in a landmark, like all content
    new IntersectionObserver(([entry]) => {
      jump.hidden = entry.isIntersecting || entry.boundingClientRect.top < 0;
    }).observe(root);
    return jump;
  }

  /** The colour the room gave the visitor (the `enter` ack's), else the one they will ask for. */
  ownColour() {
    const { identity } = this.ctx;
    return this.selfColour || identity.colour || identity.lastColour;
  }

  /** Return the colour of visitor `id` as last heard, "" if unknown. */
  colourOf(id) {
    if (id && id === this.selfId) return this.ownColour();
    return this.visitors.get(id)?.colour || "";
  }

  /** Replace everything from an `enter` ack: {id, room, colour, count, visitors}. */
  reset(ack) {
    this.selfId = ack.id ?? null;
    this.selfColour = validColour(ack.colour);
    for (const visitor of this.visitors.values()) visitor.row?.remove();
    this.visitors.clear();
    for (const v of Array.isArray(ack.visitors) ? ack.visitors : []) this.upsert(v);
    for (const slug of this.panels.keys()) this.dirtyPanels.add(slug);
    this.drawSelf();
    this.setCount(ack.count, true);
    this.schedule();
  }

  /** Apply one `presence` event: {room, count, joined, left, moved}. */
  apply(event) {
    if (!event || event.room !== this.ctx.room) return;
    for (const v of Array.isArray(event.joined) ? event.joined : []) {
      // `joined` also replaces a renamed visitor: only someone not listed yet arrives.
      const arriving = v && typeof v.id === "string" && v.id !== this.selfId && !this.visitors.has(v.id);
      this.upsert(v);
      if (arriving) this.arrive(this.visitors.get(v.id));
    }
    for (const m of Array.isArray(event.moved) ? event.moved : []) {
      const visitor = this.visitors.get(m?.id);
      if (visitor) this.move(visitor, m.exhibit || null);
    }
    for (const id of Array.isArray(event.left) ? event.left : []) {
      const visitor = this.visitors.get(id);
      if (visitor) this.arrivals.leave(visitor.name);
      this.remove(id);
    }
    this.setCount(event.count);
    this.schedule();
  }

  /** Add or update a visitor from a {id, name, exhibit, colour} entry; the visitor's own is skipped. */
  upsert(entry) {
    if (!entry || typeof entry.id !== "string" || entry.id === this.selfId) return;
    const name = typeof entry.name === "string" && entry.name ? entry.name : "?";
    const exhibit = typeof entry.exhibit === "string" && entry.exhibit ? entry.exhibit : null;
    const colour = validColour(entry.colour);
    const known = this.visitors.get(entry.id);
    if (known) {
      if (known.name !== name || known.colour !== colour) {
        known.name = name;
        known.colour = colour;
        known.row?.remove();
        known.row = null;
        if (known.exhibit) this.dirtyPanels.add(known.exhibit);
      }
      this.move(known, exhibit);
      return;
    }
    this.visitors.set(entry.id, { id: entry.id, name, exhibit, colour, row: null });
    if (exhibit) this.dirtyPanels.add(exhibit);
  }

  /** Say who arrived, and mark their row until it is drawn with a gentle highlight. */
  arrive(visitor) {
    if (!visitor) return;
    visitor.fresh = true;
    const { t, ctx } = this;
    const name = visitor.name;
    let text;
    if (ctx.lobby) text = t("arrivesLobby", { name });
    else if (visitor.exhibit) text = t("arrivesAt", { name, title: this.titles.get(visitor.exhibit) || visitor.exhibit });
    else text = t("arrives", { name });
    this.arrivals.arrive(text);
  }

  move(visitor, exhibit) {
    if (visitor.exhibit === exhibit) return;
    if (visitor.exhibit) this.dirtyPanels.add(visitor.exhibit);
    if (exhibit) this.dirtyPanels.add(exhibit);
    visitor.exhibit = exhibit;
    if (visitor.row) this.fillPlace(visitor.row.querySelector(".live-place"), exhibit);
  }

  remove(id) {
    const visitor = this.visitors.get(id);
    if (!visitor) return;
    this.visitors.delete(id);
    visitor.row?.remove();
    if (visitor.exhibit) this.dirtyPanels.add(visitor.exhibit);
  }

  /** The visitor changed pseudonym or visibility, or moved: redraw their own entry. */
  updateSelf(exhibit = this.selfExhibit) {
    if (exhibit !== this.selfExhibit) {
      if (this.selfExhibit) this.dirtyPanels.add(this.selfExhibit);
      this.selfExhibit = exhibit;
    }
    if (this.selfExhibit) this.dirtyPanels.add(this.selfExhibit);
    this.drawSelf();
    this.schedule();
  }

  /** Learn exhibit titles (slug -> title) found elsewhere, e.g. in /api/gallery.json. */
  learnTitles(titles) {
    for (const [slug, title] of titles) if (!this.titles.has(slug)) this.titles.set(slug, title);
    for (const row of this.list?.querySelectorAll(".live-place[data-exhibit-slug]") ?? []) {
      this.fillPlace(row, row.dataset.exhibitSlug);
    }
  }

  /** Set the live count; the #presence-count region changes at most every few seconds. */
  setCount(count, now = false) {
    if (!Number.isInteger(count) || count < 0) return;
    this.count = count;
    if (this.heading) this.heading.textContent = `(${count})`;
    if (this.jump) this.jump.textContent = this.t("jumpToPeople", { n: count });
    if (!this.countEl) return;
    const wait = this.countShownAt + COUNT_INTERVAL - Date.now();
    if (now || wait <= 0) {
      clearTimeout(this.countTimer);
      this.countTimer = 0;
      this.showCount();
    } else if (!this.countTimer) {
      this.countTimer = setTimeout(() => {
        this.countTimer = 0;
        this.showCount();
      }, wait);
    }
  }

  showCount() {
    this.countShownAt = Date.now();
    const text = this.t("presenceCount", { n: this.count });
    // Same text, no change: screen readers hear nothing.
    if (this.countEl.textContent !== text) this.countEl.textContent = text;
    this.countEl.dataset.count = String(this.count);
  }

  schedule() {
    if (this.frame) return;
    const run = () => {
      this.frame = 0;
      this.draw();
    };
    // Batches the DOM work of many events into one paint; a hidden tab still keeps up.
    this.frame = this.doc.hidden ? setTimeout(run, 250) : requestAnimationFrame(run);
  }

  draw() {
    this.drawList();
    for (const slug of this.dirtyPanels) this.drawPanel(slug);
    this.dirtyPanels.clear();
  }

  drawSelf() {
    if (!this.list) return;
    const { identity, t } = this.ctx;
    const name = displayName(identity, t);
    const row = this.doc.createElement("li");
    row.className = "live-visitor live-visitor-own";
    row.dataset.visitorId = this.selfId || "";
    const who = this.doc.createElement("span");
    who.className = "live-name";
    who.textContent = name;
    const note = this.doc.createElement("span");
    note.className = "live-note";
    note.textContent = identity.invisible ? ` (${t("you")}, ${t("invisibleSelf")})` : ` (${t("you")})`;
    const place = this.doc.createElement("span");
    place.className = "live-place";
    this.fillPlace(place, this.selfExhibit);
    row.append(avatar(name, { own: true, colour: this.ownColour() }), who, note, place);
    if (this.selfRow) this.selfRow.replaceWith(row);
    else this.list.prepend(row);
    this.selfRow = row;
  }

  drawList() {
    if (!this.list) return;
    let drawn = this.list.querySelectorAll(".live-visitor:not(.live-visitor-own)").length;
    for (const visitor of this.visitors.values()) {
      if (drawn >= LIST_MAX) break;
      if (visitor.row) continue;
      visitor.row = this.row(visitor);
      if (visitor.fresh) {
        visitor.fresh = false;
        visitor.row.classList.add("live-visitor-arrived");
        visitor.row.addEventListener("animationend", () => visitor.row?.classList.remove("live-visitor-arrived"), { once: true });
      }
      this.list.append(visitor.row);
      drawn += 1;
    }
    if (this.others) {
      const rest = Math.max(0, this.count - 1 - drawn);
      this.others.hidden = rest === 0;
      this.others.textContent = rest ? this.t("others", { n: rest }) : "";
    }
  }

  row(visitor) {
    const row = this.doc.createElement("li");
    row.className = "live-visitor";
    row.dataset.visitorId = visitor.id;
    const who = this.doc.createElement("span");
    who.className = "live-name";
    who.textContent = visitor.name;
    const place = this.doc.createElement("span");
    place.className = "live-place";
    this.fillPlace(place, visitor.exhibit);
    row.append(avatar(visitor.name, { colour: visitor.colour }), who, place);
    return row;
  }

  /** Write " — at <exhibit>" (a link to it) or " — in the room" into a .live-place span. */
  fillPlace(place, exhibit) {
    place.replaceChildren();
    if (this.ctx.lobby) return; // everyone listed in the lobby stands in it: nothing to add
    if (exhibit) {
      place.dataset.exhibitSlug = exhibit;
      const link = this.doc.createElement("a");
      link.href = this.ctx.exhibitUrl(exhibit);
      link.textContent = this.titles.get(exhibit) || exhibit;
      const [before, after = ""] = this.t("atExhibit").split("{title}");
      place.append(` — ${before}`, link, after);
    } else {
      delete place.dataset.exhibitSlug;
      place.append(` — ${this.t("inRoom")}`);
    }
  }

  /** Redraw the avatars gathered at one exhibit panel. */
  drawPanel(slug) {
    const panel = this.panels.get(slug);
    if (!panel) return;
    const people = [];
    const { identity, t } = this.ctx;
    if (this.selfExhibit === slug) {
      people.push({ name: displayName(identity, t), own: true, colour: this.ownColour() });
    }
    for (const visitor of this.visitors.values()) {
      if (visitor.exhibit === slug) people.push({ name: visitor.name, own: false, colour: visitor.colour });
    }
    let slot = this.slots.get(slug);
    if (!people.length) {
      if (slot) slot.hidden = true;
      return;
    }
    if (!slot) {
      slot = this.doc.createElement("div");
      slot.className = "live-at-exhibit";
      slot.dataset.liveExhibit = slug;
      // Inside the block holding the panel's title, so the avatars share its padding;
      // a panel that is a link cannot hold a list: then they go right after it.
      const heading = panel.querySelector("h2, h3, h4");
      const box = heading?.parentElement && panel.contains(heading.parentElement) ? heading.parentElement : panel;
      if (panel.tagName === "A") panel.after(slot);
      else box.append(slot);
      this.slots.set(slug, slot);
    }
    slot.hidden = false;
    const label = this.t("atThisExhibit", { n: people.length });
    const list = this.doc.createElement("ul");
    list.className = "live-avatars";
    list.setAttribute("aria-label", label);
    for (const person of people.slice(0, PANEL_MAX)) {
      const item = this.doc.createElement("li");
      item.className = "live-avatar-item";
      item.title = person.name;
      item.append(avatar(person.name, { own: person.own, colour: person.colour }), srText(person.name));
      list.append(item);
    }
    if (people.length > PANEL_MAX) {
      const rest = people.length - PANEL_MAX;
      const item = this.doc.createElement("li");
      item.className = "live-avatar-item live-avatar-more";
      const more = this.doc.createElement("span");
      more.setAttribute("aria-hidden", "true");
      more.textContent = this.t("more", { n: rest });
      item.append(more, srText(this.t("moreLabel", { n: rest })));
      list.append(item);
    }
    slot.replaceChildren(list);
  }
}
