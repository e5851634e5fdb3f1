// Small inline SVG icons: decorative (aria-hidden), since every icon stands next to its text.

const paths = {
  cross: "M4 4l8 8M12 4l-8 8",
  warning: "M8 2.5l6 11H2zM8 6.5v3.5M8 12v.01",
  clock: "M8 2a6 6 0 100 12A6 6 0 008 2zM8 4.5V8l2.5 1.5",
  download: "M8 2.5v8M4.5 7.5L8 11l3.5-3.5M3 13.5h10",
  copy: "M5.5 5.5h7v8h-7zM3.5 10.5v-8h7",
  external: "M9 3h4v4M13 3L7.5 8.5M11 9.5V13H3V5h3.5",
  sun: "M8 5.5a2.5 2.5 0 100 5 2.5 2.5 0 000-5zM8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1",
  moon: "M13 9.5A5.5 5.5 0 016.5 3a5.5 5.5 0 106.5 6.5z",
  search: "M7 2.5a4.5 4.5 0 100 9 4.5 4.5 0 000-9zM10.3 10.3L13.5 13.5",
  info: "M8 2a6 6 0 100 12A6 6 0 008 2zM8 7.5V11M8 5v.01",
  repeat: "M3 8a5 5 0 018.5-3.5L13 6M13 2.5V6H9.5M13 8a5 5 0 01-8.5 3.5L3 10M3 13.5V10h3.5",
} as const;

export type IconName = keyof typeof paths;

/** An icon from the page's sprite (IconSprite), so each use costs a few bytes. */
export function Icon({ name, class: className }: { name: IconName; class?: string }) {
  return (
    <svg class={`icon${className ? ` ${className}` : ""}`} aria-hidden="true">
      <use href={`#i-${name}`} />
    </svg>
  );
}

/** Every icon once, as symbols the page's icons refer to; the layout puts it at the top of the body. */
export function IconSprite() {
  return (
    <svg class="icon-sprite" aria-hidden="true" focusable="false">
      {(Object.keys(paths) as IconName[]).map((name) => (
        <symbol id={`i-${name}`} viewBox="0 0 16 16">
          <path d={paths[name]} />
        </symbol>
      ))}
    </svg>
  );
}
