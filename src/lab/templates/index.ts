/**
 * The lab templates, one list: `lab up --template NAME` builds one. Other rooms add
 * theirs here (a file per template, one line in TEMPLATES).
 */
import { ValidationError } from "../../errors.js";
import { argRef } from "../../registry/words.js";
import { activePassive } from "./active-passive.js";
import { readReplicas } from "./read-replicas.js";
import { sentinel3 } from "./sentinel-3.js";
import { geo } from "./geo.js";
import { multiDc } from "./multi-dc.js";
import { multiDcSentinel } from "./multi-dc-sentinel.js";
import type { LabTemplate } from "./types.js";

export type { LabTemplate, TemplateOptions } from "./types.js";

export const TEMPLATES: readonly LabTemplate[] = [activePassive, readReplicas, sentinel3, multiDc, multiDcSentinel, geo];

export function findTemplate(name: string): LabTemplate {
  const t = TEMPLATES.find((x) => x.name === name);
  if (!t) throw new ValidationError(`No lab template named '${name}' (known: ${TEMPLATES.map((x) => x.name).join(", ")}).`, `Pick one of the known templates, or leave out ${argRef("template", undefined, "lab_up")}.`);
  return t;
}
