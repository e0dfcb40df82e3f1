/**
 * Text as the monitor's search compares it: lower case, accents removed,
 * spaces collapsed ("Fôrmas  CONCRETO" → "formas concreto"). The stored
 * column and the searched term go through the same fold, on both databases.
 */
export function searchFold(parts: (string | null | undefined)[] | string): string {
  const text = Array.isArray(parts) ? parts.filter((p): p is string => Boolean(p && p.trim())).join(" · ") : parts;
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}
