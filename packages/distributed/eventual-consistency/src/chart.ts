/** One horizontal bar per row, scaled so that 1 fills `width` cells: `"20 ms │█████▌      46%"`. */
export function barChart(rows: readonly { label: string; share: number }[], width = 40): string[] {
  const labelWidth = Math.max(...rows.map((row) => row.label.length));
  return rows.map(({ label, share }) => {
    const cells = Math.max(0, Math.min(1, share)) * width;
    const whole = Math.floor(cells);
    const half = cells - whole >= 0.5 ? "▌" : "";
    const bar = `${"█".repeat(whole)}${half}`.padEnd(width);
    return `${label.padStart(labelWidth)} │${bar} ${(share * 100).toFixed(0).padStart(3)}%`;
  });
}
