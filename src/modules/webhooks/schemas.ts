import { z } from "zod";
import { webhookEvents } from "./events.js";
import { webhookUrlSyntaxProblem } from "./url-guard.js";

export const webhookCreate = z.strictObject({
  url: z
    .string({ message: "is required" })
    .trim()
    .min(1, { message: "is required" })
    .max(2000, { message: "is too long" })
    .superRefine((value, issue) => {
      const problem = webhookUrlSyntaxProblem(value);
      if (problem) issue.addIssue({ code: "custom", message: problem });
    }),
  events: z
    .array(z.enum(webhookEvents, { message: `must be one of ${webhookEvents.join(", ")}` }), { message: "must be a list of events" })
    .min(1, { message: "choose at least one event" })
    .transform((events) => [...new Set(events)]),
  secret: z.string().min(16, { message: "must have at least 16 characters" }).max(200, { message: "is too long" }).optional(),
});
export type WebhookCreateInput = z.infer<typeof webhookCreate>;

export const webhookResponse = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Only in the answer to a creation without a secret: shown once, never again. */
  secret: z.string().optional(),
});

export const deliveryResponse = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  event: z.string(),
  envelopeId: z.string().nullable(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

export const deliveryListQuery = z.strictObject({
  status: z.enum(["pending", "delivered", "failed"]).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DeliveryListQuery = z.infer<typeof deliveryListQuery>;
