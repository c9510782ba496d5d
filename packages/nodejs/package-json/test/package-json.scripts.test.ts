import { describe, expect, it } from "@jest/globals";
import { createApp, install, runScript } from "../src/package-json.js";
import { Sandbox } from "../src/sandbox.js";

describe("scripts: named commands, with pre and post hooks", () => {
  it("when npm runs a script, then its pre hook runs before it and its post hook after it", async () => {
    // Arrange
    await using sandbox = await Sandbox.create();
    const app = await createApp(sandbox);

    // Act
    const order = await runScript(sandbox, app, "build");

    // Assert
    expect(order).toEqual(["prebuild", "build", "postbuild"]);
  });

  it("when npm installs a project, then the project's preinstall, install, postinstall and prepare run in that order", async () => {
    // Arrange
    await using sandbox = await Sandbox.create();
    const app = await createApp(sandbox);

    // Act
    const { hooks } = await install(sandbox, app);

    // Assert
    expect(hooks).toEqual(["preinstall", "install", "postinstall", "prepare"]);
  });
});
