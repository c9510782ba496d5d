import { waitForPort } from "../../proc/ports.js";
import { require, which } from "./binaries.js";
import type { LocalRecipe } from "./local-server.js";

export function memcachedRecipe(): LocalRecipe {
  return {
    service: "memcached",
    user: "memcache",
    process(ctx) {
      const args = ["-p", String(ctx.port), "-l", "127.0.0.1", "-U", "0", "-m", "64"];
      // memcached refuses to run as root unless told which user to become.
      if (ctx.account) args.push("-u", ctx.account.name);
      return {
        label: "memcached",
        command: require("memcached", which("memcached"), "memcached"),
        args,
      };
    },
    // memcached prints nothing when ready; the open port is the signal.
    ready: (ctx) => waitForPort(ctx.port),
    url: (ctx) => `memcached://127.0.0.1:${ctx.port}`,
  };
}
