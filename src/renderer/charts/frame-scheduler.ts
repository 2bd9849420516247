/**
 * One animation-frame loop for every live chart, with a time budget: the
 * charts that have new data redraw in turn until `budgetMs` of the frame is
 * spent, and the rest go first in the next frame. With eight boards on
 * screen the page stays at its frame rate and each chart's refresh rate
 * drops instead; no data is lost, only a redraw is postponed.
 */
const budgetMs = 8;
const queue = new Set<() => void>();
let frame: number | undefined;

/** Asks for `draw` to run in a coming frame; asking again before it ran changes nothing. */
export function scheduleDraw(draw: () => void): void {
  queue.add(draw);
  frame ??= requestAnimationFrame(runFrame);
}

export function cancelDraw(draw: () => void): void {
  queue.delete(draw);
}

function runFrame(): void {
  frame = undefined;
  const start = performance.now();
  for (const draw of queue) {
    queue.delete(draw);
    draw();
    if (performance.now() - start > budgetMs) break;
  }
  if (queue.size > 0) frame = requestAnimationFrame(runFrame);
}
