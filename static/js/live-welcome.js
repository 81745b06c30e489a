// Choosing how the others see you: the avatar colour picker of the pseudonym forms, and the
// welcome offered once, on the first entry, to pick a pseudonym and a colour (or not).
//
// The welcome is a non-modal <dialog> (#live-welcome): the page stays readable and usable
// behind it, it takes no focus by itself, and it sits right after the skip link, so that
// it is the next stop of the keyboard and of a screen reader reading from the top.

import { defaultName, saveIdentity, validColour } from "./live-identity.js";

/**
 * Return the avatar palette as [colour, name] pairs: the colours the page carries on
 * #live-identity-form[data-palette], each named by the string "colour" + its hex digits.
 */
function palette(doc, t) {
  const colours = (doc.getElementById("live-identity-form")?.dataset.palette || "").split(" ");
  return colours.filter(validColour).map((colour) => [colour, t(`colour${colour.slice(1)}`)]);
}

let pickers = 0;

/**
 * Build a fieldset of radio buttons, one per colour of the palette and one for "any free
 * colour" (value ""), with `selected` checked. Swatches are painted through the CSSOM.
 */
export function colourPicker(doc, t, selected) {
  const id = `live-colours-${++pickers}`;
  const fieldset = doc.createElement("fieldset");
  fieldset.className = "live-colours";
  const legend = doc.createElement("legend");
  legend.textContent = t("colourLabel");
  fieldset.append(legend);
  const choices = [["", t("colourAny")], ...palette(doc, t).sort((a, b) => hue(a[0]) - hue(b[0]))];
  choices.forEach(([colour, name], i) => {
    const item = doc.createElement("span");
    item.className = colour ? "live-colour" : "live-colour live-colour-any";
    const input = doc.createElement("input");
    input.type = "radio";
    input.name = id;
    input.id = `${id}-${i}`;
    input.value = colour;
    input.checked = colour === (selected || "");
    const label = doc.createElement("label");
    label.htmlFor = input.id;
    if (colour) {
      const swatch = doc.createElement("span");
      swatch.className = "live-swatch";
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.setProperty("--live-avatar", colour);
      const text = doc.createElement("span");
      text.className = "live-sr";
      text.textContent = name;
      label.append(swatch, text);
      label.title = name;
    } else {
      label.textContent = name;
    }
    item.append(input, label);
    fieldset.append(item);
  });
  return fieldset;
}

/** Return the hue (0-360) of a "#rrggbb" colour, to lay the palette out as a colour wheel. */
function hue(colour) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d < 0.08) return 400; // greys last
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

/** Return the colour checked in a picker built by `colourPicker` ("" for any). */
export function pickedColour(fieldset) {
  return fieldset.querySelector("input:checked")?.value || "";
}

/**
 * Offer, once, to choose a pseudonym and a colour: unless the visitor already has a name or
 * answered before. `onChoose(identity)` runs when they choose; skipping keeps the default name.
 * Returns a function that refreshes the default name shown (once the server gave one).
 */
export function offerWelcome({ doc, t, identity, nameMax, onChoose }) {
  if (identity.name || identity.welcomed || typeof HTMLDialogElement !== "function") return () => {};
  const dialog = doc.createElement("dialog");
  dialog.id = "live-welcome";
  dialog.className = "live live-welcome";
  dialog.setAttribute("aria-labelledby", "live-welcome-title");
  dialog.setAttribute("aria-describedby", "live-welcome-text");
  const form = doc.createElement("form");
  form.method = "dialog";
  form.className = "live-form";
  const title = doc.createElement("h2");
  title.id = "live-welcome-title";
  title.className = "live-welcome-title";
  title.textContent = t("welcomeTitle");
  const text = doc.createElement("p");
  text.id = "live-welcome-text";
  text.className = "live-welcome-text";
  const label = doc.createElement("label");
  label.htmlFor = "live-welcome-name";
  label.textContent = t("nameLabel");
  const input = doc.createElement("input");
  input.id = "live-welcome-name";
  input.type = "text";
  input.maxLength = nameMax;
  input.autocomplete = "nickname";
  input.spellcheck = false;
  const colours = colourPicker(doc, t, identity.colour);
  const buttons = doc.createElement("p");
  buttons.className = "live-welcome-buttons";
  const go = doc.createElement("button");
  go.type = "submit";
  go.className = "live-button";
  go.textContent = t("welcomeGo");
  const skip = doc.createElement("button");
  skip.type = "button";
  skip.className = "live-button live-button-quiet";
  skip.id = "live-welcome-skip";
  skip.textContent = t("welcomeSkip");
  buttons.append(go, skip);
  form.append(title, text, label, input, colours, buttons);
  dialog.append(form);

  function refresh() {
    const name = defaultName(identity, t);
    text.textContent = t("welcomeText", { name });
    input.placeholder = name;
  }

  function close() {
    identity.welcomed = true;
    saveIdentity(identity);
    const hadFocus = dialog.contains(doc.activeElement);
    dialog.close();
    dialog.remove();
    // Focus must not be lost with the dialog: on to the page's content.
    if (hadFocus) doc.getElementById("main")?.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    identity.name = input.value.replace(/\s+/g, " ").trim().slice(0, nameMax);
    identity.colour = pickedColour(colours);
    close();
    onChoose(identity);
  });
  skip.addEventListener("click", close);
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  refresh();
  const skipLink = doc.querySelector("a[href='#main']");
  if (skipLink) skipLink.after(dialog);
  else doc.body.prepend(dialog);
  // The open attribute rather than show(): show() would move the focus into the dialog.
  dialog.open = true;
  return refresh;
}
