import { z } from "zod";

/**
 * Schemas for page routes: they type `request.params`, `query` and `body`
 * without refusing what a browser sends (pages answer bad input with a page,
 * not a 400 in JSON), and stay out of the OpenAPI document.
 */
export const pathParams = <K extends string>(...names: K[]) =>
  z.object(Object.fromEntries(names.map((n) => [n, z.string()])) as { [P in K]: z.ZodString });

/** A query string or a form: any field, each read and checked by the page. */
export const looseFields = z.record(z.string(), z.unknown());
export const optionalForm = looseFields.optional();
