import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type BufferReply, Echo, type Order, type OrderReply } from "../src/messages.js";

describe("messages between threads are copied or transferred, never shared", () => {
  let echo: Echo;

  beforeAll(() => {
    echo = new Echo();
  });

  afterAll(async () => {
    await echo.close();
  });

  const newOrder = (): Order => ({ id: `order-${Math.random()}`, items: ["book"], total: 12 });

  it("when the sender changes an object right after posting it, then the worker still sees the object as it was posted", async () => {
    // Arrange
    const order = newOrder();

    // Act
    const reply = echo.ask<OrderReply>({ kind: "order", order });
    order.items.push("changed after postMessage");
    order.total = 999;
    const { seen } = await reply;

    // Assert
    expect(seen).toEqual({ id: order.id, items: ["book"], total: 12 });
  });

  it("when the worker mutates the object it received, then the sender's object is unchanged", async () => {
    // Arrange
    const order = newOrder();

    // Act
    const { after } = await echo.ask<OrderReply>({ kind: "order", order });

    // Assert
    expect(after).toEqual({ id: order.id, items: ["book", "added by the worker"], total: 0 });
    expect(order).toEqual({ id: order.id, items: ["book"], total: 12 });
  });

  it("when an ArrayBuffer is posted without a transfer list, then it is copied and the sender keeps its bytes", async () => {
    // Arrange
    const buffer = new Uint8Array(1024).fill(7).buffer;

    // Act
    const reply = await echo.ask<BufferReply>({ kind: "buffer", buffer });

    // Assert
    expect(reply.byteLength).toBe(1024);
    expect(buffer.byteLength).toBe(1024);
  });

  it("when an ArrayBuffer is transferred, then the worker gets its bytes and the sender's buffer is detached with byteLength 0", async () => {
    // Arrange
    const buffer = new Uint8Array(1024).fill(7).buffer;

    // Act
    const reply = echo.ask<BufferReply>({ kind: "buffer", buffer }, [buffer]);
    const senderLengthRightAfterPost = buffer.byteLength;

    // Assert
    expect(senderLengthRightAfterPost).toBe(0);
    expect(await reply).toEqual({ byteLength: 1024, first: 7, last: 7 });
  });

  it("when a function is posted, then structured clone refuses it with a DataCloneError", async () => {
    // Arrange
    const message = { kind: "order", callback: () => "functions do not cross threads" };

    // Act
    const post = () => echo.ask(message);

    // Assert
    await expect(post()).rejects.toMatchObject({ name: "DataCloneError" });
  });
});
