/** Input fragments shared by tools, so every tool names targets and dry-runs the same way. */
import { z } from "zod";

/** Where a tool acts: exactly one of lab, target or nodes. */
export const targetFields = {
  lab: z.string().optional().describe("Name of a lab started with lab_up."),
  target: z.string().optional().describe("Name of a target in the redis-pilot config file."),
  nodes: z.array(z.string()).optional().describe("Node addresses as HOST:PORT."),
};

/** Every mutating tool accepts dryRun; destructive ones also need confirm. */
export const dryRunField = {
  dryRun: z.boolean().optional().describe("Only return the plan; change nothing."),
};

export const confirmField = {
  confirm: z.boolean().optional().describe("Required for destructive tools when the client cannot ask the user; review the dry-run plan first."),
};

export const findingSchema = z.object({
  severity: z.enum(["error", "warning", "info"]),
  code: z.string(),
  message: z.string(),
  next: z.string(),
  node: z.string().optional(),
});

export const stepSchema = z.object({
  kind: z.string(),
  description: z.string(),
});
