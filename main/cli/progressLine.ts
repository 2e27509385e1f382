/** A one-line progress indicator on stderr, shown only on a terminal. */
export function progressLine(label: string): {
  update: (done: number, total: number) => void;
  end: () => void;
} {
  const tty = process.stderr.isTTY;
  let shown = false;
  return {
    update: (done, total) => {
      if (!tty) return;
      shown = true;
      process.stderr.write(`\r${label} ${done}/${total}`);
    },
    // Ends the line once; calling it again does nothing.
    end: () => {
      if (shown) process.stderr.write('\n');
      shown = false;
    },
  };
}
