/** A skipped item's name, with its path underneath when the engine reported one. */
export function ItemName({ name, path }: { name: string; path: string | null }) {
  return (
    <>
      <span class="item-name" safe>
        {name}
      </span>
      {path ? (
        <span class="sub mono" safe>
          {path}
        </span>
      ) : (
        ""
      )}
    </>
  );
}
