// Page URLs from the layout the server writes on <body> (data-url-exhibit="/{lang}/rooms/{room}/{exhibit}/"),
// so the URL layout has one source: the server's gallery/content/urllayout.py.

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Fill a URL template such as "/{lang}/rooms/{room}/" with `values`, each encoded. */
export function fillUrl(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name] ?? ""));
}

/**
 * Return a function reading the `{name}` part of a path made from `template` with the other
 * parts set to `values`; it returns null for any other path.
 */
export function urlReader(template, values, name) {
  if (!template.includes(`{${name}}`)) return () => null;
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const found = /^\{(\w+)\}$/.exec(part);
      if (!found) return escapeRegExp(part);
      return found[1] === name ? "([^/]+)" : escapeRegExp(encodeURIComponent(values[found[1]] ?? ""));
    })
    .join("");
  const pattern = new RegExp(`${source}$`);
  return (path) => {
    const found = pattern.exec(path);
    return found ? decodeURIComponent(found[1]) : null;
  };
}
