import Html from "@kitajs/html";

/** Text that may break after each "/" (and at spaces), not in the middle of a name. */
function breakAtSlashes(text: string): string {
  return text
    .split("/")
    .map((part) => Html.escapeHtml(part))
    .join("/<wbr>");
}

/** A skipped item's name, with its path underneath when the engine reported one. */
export function ItemName({ name, path }: { name: string; path: string | null }) {
  return (
    <>
      <span class="item-name" safe>
        {name}
      </span>
      {/* breakAtSlashes escapes each part of the path itself. */}
      {path ? <span class="sub mono">{breakAtSlashes(path) as "safe"}</span> : ""}
    </>
  );
}
