import type { FrameLocator, Page } from "@playwright/test";

// The filter bar's menus (issue 11): each filter is a disclosure holding a fieldset. These helpers open
// the menu a control lives in and set it as a user would, so specs say what they choose, not how.

type Surface = Page | FrameLocator;

const MENU_OF = {
  Connector: "connector",
  Status: "status",
  Type: "type",
  "Time span": "time",
  "Start date": "time",
  "End date": "time",
  "Rows a page": "view",
  Order: "view",
} as const;
export type FilterName = keyof typeof MENU_OF;

const NAME_OF = { Connector: "connector", Status: "status", Type: "type", "Time span": "span" } as const;

/** Opens the menu that holds a filter (once open, a second call leaves it open). */
export async function openMenu(page: Surface, filter: FilterName) {
  const menu = page.locator(`#menu-${MENU_OF[filter]}`);
  if ((await menu.getAttribute("open")) === null) await menu.locator("summary").click();
}

/** The control of a field inside its menu, after opening the menu. */
export async function menuField(page: Surface, label: FilterName) {
  await openMenu(page, label);
  return page.getByLabel(label, { exact: true });
}

/**
 * Ticks exactly these values of a checkbox filter (or picks one time span by value or label). Connectors
 * come from the list fetched when the panel opens, so this waits for them.
 */
export async function choose(
  page: Surface,
  filter: keyof typeof NAME_OF,
  values: string | readonly string[] | { label: string },
) {
  await openMenu(page, filter);
  const name = NAME_OF[filter];
  const boxes = page.locator(`#filters input[name="${name}"]`);
  if (typeof values === "object" && "label" in values) {
    await page.locator(`#menu-${MENU_OF[filter]}`).getByLabel(values.label, { exact: true }).check();
    return;
  }
  const wanted = typeof values === "string" ? [values] : values;
  if (filter === "Time span") {
    await boxes.and(page.locator(`[value="${wanted[0]}"]`)).check();
    return;
  }
  for (const box of await boxes.all()) {
    const value = await box.getAttribute("value");
    if (value !== null && !wanted.includes(value) && (await box.isChecked())) await box.uncheck();
  }
  for (const value of wanted)
    await boxes
      .and(page.locator(`[value="${value}"]`))
      .first()
      .check();
}

/** The values ticked in a filter (or the chosen time span). */
export async function chosen(page: Surface, filter: keyof typeof NAME_OF): Promise<string[]> {
  const boxes = page.locator(`#filters input[name="${NAME_OF[filter]}"]`);
  const values: string[] = [];
  for (const box of await boxes.all()) {
    if (await box.isChecked()) values.push((await box.getAttribute("value")) ?? "");
  }
  return values;
}
