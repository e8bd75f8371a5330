/**
 * Whether a request is a question ("how many replicas does lab demo have", "which node
 * is master", "is my cluster healthy?"). A question is a request to look: the planner
 * answers it with read-only tools and never hands it to a family that changes things.
 * A polite request ("can you create a cluster?") is a request, not a question.
 */

/** Openers that ask for facts. "do/does/did" ask only before a subject: "do a failover" is an order. */
const OPENER =
  /^(?:how|what|what's|whats|which|who|whose|where|when|why|whether|is|are|was|were|has|have|had|isn't|aren't|hasn't|(?:do|does|did|don't|doesn't)\s+(?:i|we|you|they|it|the|my|our|your|this|that|these|those|all|any|every|each|lab|target|redis|cluster|node|\w+'s)\b)/;
/** Asking in other words: "tell me how many...", "I want to know which...". */
const EMBEDDED = /^(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+)?(?:tell me|i want to know|i'd like to know|i would like to know|i wonder|let me know|find out|i'm wondering|i am wondering)\b/;
/** Polite requests that only sound like questions. */
const POLITE = /^(?:please\s+)?(?:can|could|would|will|shall|may)\s+(?:you|i|we)\b(?!\s+(?:tell|show)\s+me\b)/;

export function isQuestion(request: string): boolean {
  const s = request.toLowerCase().trim().replace(/^(?:hey|hi|so|ok|okay|and|also|quick question)[\s,:]+/, "");
  if (EMBEDDED.test(s)) return true;
  if (POLITE.test(s)) return false;
  return OPENER.test(s);
}
