export function processTree(root: number): number[];
export function isAlive(pid: number): boolean;
export function signalTree(root: number, signal: NodeJS.Signals): number[];
export function killTree(root: number): number[];
