// Who arrives and who leaves, said in a polite live region (#live-arrivals), a few words at a
// time: at most one announcement every few seconds, a crowd summed up ("5 people arrived")
// rather than read out name by name.

const INTERVAL = 4000; // least ms between two announcements
const NAMED = 2; // arrivals (or departures) named one by one in one announcement; more are counted

export class Arrivals {
  /** `ctx` carries: doc, t; `region` is the polite live region written to. */
  constructor(ctx, region) {
    this.t = ctx.t;
    this.region = region;
    this.arrived = []; // texts of arrivals waiting to be said
    this.left = []; // names of departures waiting to be said
    this.saidAt = -Infinity;
    this.timer = 0;
  }

  /** Someone arrived; `text` is the sentence for them alone ("Bruno arrives at ADEX"). */
  arrive(text) {
    this.arrived.push(text);
    this.schedule();
  }

  /** Someone named `name` left. */
  leave(name) {
    this.left.push(name);
    this.schedule();
  }

  schedule() {
    if (!this.region || this.timer) return;
    const wait = Math.max(0, this.saidAt + INTERVAL - Date.now());
    // A short wait even when due: what one `presence` event brings is said in one go.
    this.timer = setTimeout(() => this.say(), Math.max(wait, 50));
  }

  say() {
    this.timer = 0;
    const { t } = this;
    const parts = [];
    if (this.arrived.length > NAMED) parts.push(t("arrivedMany", { n: this.arrived.length }));
    else parts.push(...this.arrived);
    if (this.left.length > NAMED) parts.push(t("leftMany", { n: this.left.length }));
    else parts.push(...this.left.map((name) => t("leaves", { name })));
    this.arrived = [];
    this.left = [];
    if (!parts.length) return;
    this.saidAt = Date.now();
    // One paragraph per announcement, the last few kept: screen readers read what is added.
    const p = this.region.ownerDocument.createElement("p");
    p.textContent = parts.join(". ") + ".";
    this.region.append(p);
    while (this.region.childElementCount > 3) this.region.firstElementChild.remove();
  }
}
