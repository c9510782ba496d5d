// Process trees, read from /proc.
//
// Signalling a process group is not enough for every server: PostgreSQL's
// backends call setsid(), so each one leads a session of its own and never
// sees a signal sent to the postmaster's group. So we walk the tree of
// parent links instead, which every child keeps, whatever its session.
import { readdirSync, readFileSync } from "node:fs";

/** @returns {Map<number, number[]>} children by parent pid */
function childrenByParent() {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // The command name may hold spaces and parentheses; fields resume after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  return children;
}

/**
 * `root` and all its descendants, parents before children.
 * @param {number} root
 * @returns {number[]}
 */
export function processTree(root) {
  const children = childrenByParent();
  const tree = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * Whether `pid` is still a live process (a zombie has already died).
 * @param {number} pid
 */
export function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to every process of the tree under `root`, parents first:
 * a stopped parent forks no new children while we reach the ones it has.
 * @param {number} root
 * @param {NodeJS.Signals} signal
 * @returns {number[]} the pids signalled
 */
export function signalTree(root, signal) {
  const tree = processTree(root);
  for (const pid of tree) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
  return tree;
}

/**
 * Kills the whole tree at once: freeze it first so nothing is reparented
 * away from us mid-walk, then SIGKILL every member we found.
 * @param {number} root
 * @returns {number[]} the pids killed
 */
export function killTree(root) {
  const frozen = signalTree(root, "SIGSTOP");
  const tree = [...new Set([...frozen, ...processTree(root)])];
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  return tree;
}
