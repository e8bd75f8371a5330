/**
 * A failed connect must not leave a live timer behind: ioredis's disconnect() on an
 * already closed socket arms a connectTimeout-long timer that nothing clears, which
 * kept every CLI run that hit an unreachable node alive 2 s after its error.
 */
import { createHook } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { connect } from "../src/redis/connection.js";
import { findFreePort } from "../src/lab/ports.js";

type Timer = { hasRef(): boolean; _destroyed?: boolean; _idleTimeout: number };

describe("connect", () => {
  it("leaves no live timer behind after a refused connection", async () => {
    const port = await findFreePort();
    const timers: Timer[] = [];
    const hook = createHook({ init: (_id, type, _trigger, resource) => void (type === "Timeout" && timers.push(resource as Timer)) }).enable();
    try {
      await expect(connect(`127.0.0.1:${port}`)).rejects.toMatchObject({ code: "unreachable" });
      await new Promise((r) => setImmediate(r));
    } finally {
      hook.disable();
    }
    const live = timers.filter((t) => !t._destroyed && t.hasRef()).map((t) => t._idleTimeout);
    expect(live).toEqual([]);
  });
});
