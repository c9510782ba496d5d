import { describe, expect, it } from "@jest/globals";
import { askChildProcess, askClusterWorker, askWorkerThread, me } from "../src/processes.js";

describe("worker threads are threads; child_process and cluster are processes", () => {
  it("when code runs in a worker thread, then it reports our pid and another threadId", async () => {
    // Act
    const worker = await askWorkerThread();

    // Assert
    expect(worker.pid).toBe(me().pid);
    expect(worker.threadId).not.toBe(me().threadId);
  });

  it("when code runs in a forked child process or a cluster worker, then each reports a pid of its own", async () => {
    // Act
    const child = await askChildProcess();
    const clusterWorker = await askClusterWorker();

    // Assert
    expect(new Set([me().pid, child.pid, clusterWorker.pid]).size).toBe(3);
  });

  it("when a worker thread writes into a SharedArrayBuffer it was sent, then the main thread sees the write", async () => {
    // Arrange
    const sab = new SharedArrayBuffer(4);

    // Act
    await askWorkerThread({ sab });

    // Assert
    expect(new Int32Array(sab)[0]).toBe(42);
  });

  it("when a SharedArrayBuffer is sent to a child process, then it cannot even be cloned", async () => {
    // Arrange
    const sab = new SharedArrayBuffer(4);

    // Act
    const sending = askChildProcess({ sab });

    // Assert
    await expect(sending).rejects.toThrow("could not be cloned");
    expect(new Int32Array(sab)[0]).toBe(0);
  });
});
