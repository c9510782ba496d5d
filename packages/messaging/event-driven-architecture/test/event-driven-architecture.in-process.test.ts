import { EventEmitter } from "node:events";
import { describe, expect, it } from "@jest/globals";
import { ScriptProcess } from "@playground/kit";
import { sampleOrder } from "../src/events.js";
import { handlers, newShopState, placeOrder, type ShopEvents } from "../src/in-process.js";

const ERROR_SCRIPT = new URL("../src/error-without-listener.ts", import.meta.url);

describe("events in one process, on an EventEmitter", () => {
  it("when an event is emitted, then every listener has run before emit returns", () => {
    // Arrange
    const bus = new EventEmitter<ShopEvents>();
    const state = newShopState();
    handlers.inventory(bus, state);
    handlers.email(bus, state);
    handlers.analytics(bus, state);

    // Act
    placeOrder(bus, sampleOrder(1));
    state.trace.push("placeOrder returned");

    // Assert
    expect(state.trace).toEqual(["inventory", "email", "analytics", "placeOrder returned"]);
    expect(state.revenue).toBe(sampleOrder(1).total);
  });

  it("when the same listeners subscribe in another order, then they run in that order and the outcome changes", () => {
    // Arrange: email before inventory, so it looks before anything is reserved.
    const bus = new EventEmitter<ShopEvents>();
    const state = newShopState();
    handlers.email(bus, state);
    handlers.inventory(bus, state);
    const order = sampleOrder(1);

    // Act
    placeOrder(bus, order);

    // Assert
    expect(state.trace).toEqual(["email", "inventory"]);
    expect(state.emails).toEqual([`${order.email}: ${order.sku} on back-order`]);
    expect(state.reserved.get(order.sku)).toBe(order.quantity);
  });

  it("when a listener throws, then the listeners after it never run and the error reaches the code that emitted", () => {
    // Arrange
    const bus = new EventEmitter<ShopEvents>();
    const state = newShopState();
    handlers.inventory(bus, state);
    bus.on("order.placed", () => {
      throw new Error("mail server down");
    });
    handlers.analytics(bus, state);

    // Act
    const thrown = (() => {
      try {
        placeOrder(bus, sampleOrder(1));
        return undefined;
      } catch (error) {
        return error;
      }
    })();

    // Assert
    expect(thrown).toEqual(new Error("mail server down"));
    expect(state.trace).toEqual(["inventory"]);
    expect(state.revenue).toBe(0);
  });

  it("when an 'error' event has no listener, then the process crashes with exit code 1", async () => {
    // Act
    const child = new ScriptProcess(ERROR_SCRIPT, [], "no listener");
    const { code } = await child.exited;

    // Assert
    expect(code).toBe(1);
    expect(child.stderr).toContain("Emitted 'error' event");
    expect(child.stderr).toContain("Error: payment provider unreachable");
    expect(child.stdout).not.toContain("survived");
  });

  it("when an 'error' event has a listener, then the process handles it and carries on", async () => {
    // Act
    const child = new ScriptProcess(ERROR_SCRIPT, ["--listen"], "listener");
    const { code } = await child.exited;

    // Assert
    expect(code).toBe(0);
    expect(child.stdout).toBe("handled: payment provider unreachable\nsurvived\n");
  });
});
