import { describe, expect, it } from "@jest/globals";
import {
  addDependencyByHand,
  createApp,
  install,
  installAsDependency,
} from "../src/package-json.js";
import { Sandbox } from "../src/sandbox.js";

describe("dependencies are for running, devDependencies for building and testing", () => {
  it("when the app is installed in full, then both its dependency and its devDependency are in node_modules", async () => {
    // Arrange
    await using sandbox = await Sandbox.create();
    const app = await createApp(sandbox);

    // Act
    const { installed } = await install(sandbox, app);

    // Assert
    expect(installed).toEqual(["runtime-lib", "test-helper"]);
  });

  it("when the app is installed with --omit=dev, then the devDependency is absent", async () => {
    // Arrange
    await using sandbox = await Sandbox.create();
    const app = await createApp(sandbox);

    // Act
    const { installed } = await install(sandbox, app, { omitDev: true });

    // Assert
    expect(installed).toEqual(["runtime-lib"]);
  });

  it("when the app is installed as another project's dependency, then its devDependencies are never installed", async () => {
    // Arrange
    await using sandbox = await Sandbox.create();
    const app = await createApp(sandbox);

    // Act
    const { installed } = await installAsDependency(sandbox, app);

    // Assert
    expect(installed).toEqual(["app", "runtime-lib"]);
  });

  it("when package.json asks for a dependency the lockfile does not have, then npm ci refuses instead of resolving again", async () => {
    // Arrange
    await using sandbox = await Sandbox.create();
    const app = await createApp(sandbox);
    await install(sandbox, app);
    await addDependencyByHand(sandbox, app);

    // Act
    const ci = await sandbox.npm(app.dir, ["ci"]);

    // Assert
    expect(ci.code).not.toBe(0);
    expect(ci.stderr).toContain(
      "package.json and package-lock.json or npm-shrinkwrap.json are in sync",
    );
  });
});
