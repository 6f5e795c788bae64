/** An SVG arrowhead for `markerEnd`, pointing along the path's end (for the diagrams' edges). */
export function ArrowMarker({
  id,
  size,
  className,
}: {
  readonly id: string;
  readonly size: number;
  readonly className: string;
}) {
  return (
    <marker
      id={id}
      viewBox="0 0 8 8"
      refX={8}
      refY={4}
      markerWidth={size}
      markerHeight={size}
      orient="auto"
    >
      <path d="M 0 0 L 8 4 L 0 8 z" className={className} />
    </marker>
  );
}
