/**
 * A one-line progress bar for long CLI jobs: done/total, rate and time left, redrawn at most 10 times a
 * second. Example: `const bar = progressBar(1e6, 'events', process.stderr); bar.add(10_000); bar.done();`
 */
export function progressBar(total: number, unit: string, out: NodeJS.WritableStream) {
  const started = Date.now();
  let done = 0;
  let drawn = 0;
  const draw = (): void => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = done / seconds;
    const share = total === 0 ? 1 : done / total;
    const width = 30;
    const filled = Math.round(share * width);
    const left = rate > 0 ? Math.round((total - done) / rate) : 0;
    out.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(1)}% ` +
        `${done.toLocaleString('en')}/${total.toLocaleString('en')} ${unit}, ` +
        `${Math.round(rate).toLocaleString('en')}/s, ${left}s left `,
    );
  };
  return {
    add(n: number): void {
      done += n;
      if (Date.now() - drawn > 100) {
        drawn = Date.now();
        draw();
      }
    },
    done(): void {
      draw();
      out.write('\n');
    },
  };
}
