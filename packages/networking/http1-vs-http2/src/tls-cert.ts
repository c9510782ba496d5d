import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PlaygroundError } from "@playground/kit";

/** A throwaway certificate for 127.0.0.1 and localhost, and its key. */
export interface SelfSigned {
  key: string;
  cert: string;
}

/**
 * Makes a fresh self-signed certificate with `openssl` (an EC P-256 key,
 * valid for a day), so no private key is ever committed. The files live
 * only for the moment it takes to read them back.
 */
export function selfSignedCert(): SelfSigned {
  const dir = mkdtempSync(path.join(tmpdir(), "h2-cert-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "pipe" },
    );
    return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new PlaygroundError(
        "openssl is not installed: install it (e.g. `apt-get install openssl`) to make the test certificate.",
      );
    }
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
