import { describe, expect, it } from "@jest/globals";
import { tcpReads, udpReads } from "../src/boundaries.js";

describe("message boundaries", () => {
  it("when the sender makes two TCP writes before the receiver reads, then one read returns both", async () => {
    // Arrange
    const writes = [Buffer.from("hello "), Buffer.from("world")];

    // Act
    const reads = await tcpReads(writes);

    // Assert
    expect(reads.map(String)).toEqual(["hello world"]);
  });

  it("when the sender makes one 1 MB TCP write, then the receiver gets it back in several reads", async () => {
    // Arrange
    const write = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < write.length; i++) write[i] = i % 251;

    // Act
    const reads = await tcpReads([write]);

    // Assert
    expect(reads.length).toBeGreaterThan(1);
    expect(Buffer.concat(reads).equals(write)).toBe(true);
  });

  it("when the sender sends datagrams before the receiver reads, then each read returns exactly one of them, whole", async () => {
    // Arrange: the largest datagram UDP over IPv4 can carry is 65,507 bytes.
    const sends = [Buffer.from("hello "), Buffer.from("world"), Buffer.alloc(65_000, 7)];

    // Act
    const reads = await udpReads(sends);

    // Assert
    expect(reads).toHaveLength(3);
    reads.forEach((read, i) => {
      expect(read.equals(sends[i]!)).toBe(true);
    });
  });
});
