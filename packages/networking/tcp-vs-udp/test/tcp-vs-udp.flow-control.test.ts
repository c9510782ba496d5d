import { describe, expect, it } from "@jest/globals";
import { floodTcp, floodUdp } from "../src/flow-control.js";

describe("flow control", () => {
  it("when a receiver reads too slowly, then UDP drops datagrams in the kernel without telling the sender", async () => {
    // Arrange
    const count = 2_000;

    // Act
    const flood = await floodUdp(count);

    // Assert
    expect(flood.sendErrors).toBe(0);
    expect(flood.received).toBeGreaterThan(0);
    expect(flood.received).toBeLessThan(count / 2);
  });

  it("when a receiver stops reading, then TCP pushes back on the sender and later delivers every byte in order", async () => {
    // Arrange
    const total = 32 * 1024 * 1024;

    // Act
    const flood = await floodTcp(total);

    // Assert
    expect(flood.acceptedBeforePushback).toBeGreaterThan(0);
    expect(flood.acceptedBeforePushback).toBeLessThan(total);
    expect(flood.received).toBe(total);
    expect(flood.intact).toBe(true);
  });
});
