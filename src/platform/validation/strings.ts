import { z } from "zod";

/**
 * One rule for every string that comes in at the edges (body, query, path,
 * form fields, multipart fields): no NUL and no other C0 control character
 * except tab, line feed and carriage return, and no DEL. PostgreSQL refuses
 * NUL in text outright (a 500 before this rule), and the others only ever
 * arrive by accident or by attack.
 */
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const controlCharacterMessage = "must not contain control characters (such as U+0000)";

/** Path of the first string (or object key) holding a control character, searched depth-first. */
export function controlCharacterPath(value: unknown, path: PropertyKey[] = [], depth = 0): PropertyKey[] | undefined {
  if (typeof value === "string") return controlCharacter.test(value) ? path : undefined;
  if (depth > 32 || value === null || typeof value !== "object" || value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = controlCharacterPath(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (controlCharacter.test(key)) return [...path, key];
    const found = controlCharacterPath(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The rule as a zod schema: any input passes unchanged unless a string in it holds a control character. */
export const withoutControlCharacters = z.unknown().superRefine((value, ctx) => {
  const path = controlCharacterPath(value);
  if (path) ctx.addIssue({ code: "custom", message: controlCharacterMessage, path });
});

/** Runs `schema` only on input that passes the rule (the route validators use this). */
export const guardStrings = <T extends z.ZodType>(schema: T) => withoutControlCharacters.pipe(schema);
