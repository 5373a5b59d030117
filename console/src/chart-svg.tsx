import type { ComponentChildren } from 'preact';

/**
 * A chart's SVG as an image named by its `<title>` (`summary`, which says in words what it shows): the
 * title's ID is `${id}-title`, so pages and tests can find the chart by it. `children` are its shapes.
 *
 * Example:
 * ```tsx
 * <ChartSvg id="trend" width={640} height={240} summary="Daily members of buyers from 1 Nov to 7 Nov, 7 days">
 *   <rect x={10} y={20} width={30} height={200} />
 * </ChartSvg>
 * ```
 */
export function ChartSvg({
  id,
  width,
  height,
  summary,
  children,
}: {
  id: string;
  width: number;
  height: number;
  summary: string;
  children: ComponentChildren;
}) {
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-title`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <title id={`${id}-title`}>{summary}</title>
      {children}
    </svg>
  );
}
