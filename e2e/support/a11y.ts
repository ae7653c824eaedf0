// Accessibility checks shared by the end-to-end specs: axe for WCAG 2.2 AA, horizontal overflow
// on narrow screens, and a visible focus ring on the focused control.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";

/** axe's rule tags for WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe on the page as it is now (open menus and dialogs included) and fails with one line per
 * violation and element, so the report says what to fix without opening a trace.
 */
export async function expectNoAxeViolations(page: Page, { exclude = [] }: { exclude?: string[] } = {}) {
  let builder = new AxeBuilder({ page }).withTags(WCAG_AA);
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const found = violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")} — ${node.failureSummary?.replace(/\s+/g, " ")}`),
  );
  expect(found, `axe on ${page.url()}`).toEqual([]);
}

/**
 * Nothing wider than the viewport: no sideways scrolling at 320 px (WCAG 1.4.10 Reflow). And no
 * text wider than its own box: a long word in a dialog is cut off (the dialog clips or scrolls it)
 * without making the page any wider, so the first check alone would miss it.
 */
export async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].slice(0, 3).join(".")}`;
    const visible = [...document.querySelectorAll<HTMLElement>("body *")].filter((el) => el.getClientRects().length > 0);
    const wide = visible.filter((el) => el.getBoundingClientRect().right > width + 0.5);
    // Text wider than the box that holds it, unless shortened on purpose (ellipsis, or sr-only's clip).
    const hasText = (el: Element) => [...el.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim());
    const cutOff = visible.filter((el) => {
      if (!hasText(el) || el.clientWidth < 2 || el.scrollWidth <= el.clientWidth + 1) return false;
      const style = getComputedStyle(el);
      return style.textOverflow !== "ellipsis" && style.clipPath === "none" && style.clip === "auto";
    });
    return {
      scrollWidth: document.documentElement.scrollWidth,
      width,
      wide: wide.slice(0, 5).map(name),
      cutOff: cutOff.slice(0, 5).map((el) => `${name(el)} (${el.scrollWidth} > ${el.clientWidth}px)`),
    };
  });
  expect(overflow.scrollWidth, `wider than ${overflow.width}px on ${page.url()}: ${overflow.wide.join(", ")}`).toBeLessThanOrEqual(
    overflow.width,
  );
  expect(overflow.cutOff, `content wider than its box on ${page.url()}`).toEqual([]);
}

/** True when a computed colour is fully transparent. */
const transparent = (color: string) => color === "transparent" || /rgba\([^)]*,\s*0\)$/.test(color);

/**
 * The element has focus and shows it: a non-zero, non-transparent outline, or a box-shadow ring.
 * Use after keyboard input (page.keyboard.press), which is what makes :focus-visible match.
 */
export async function expectFocusVisible(locator: Locator) {
  await expect(locator).toBeFocused();
  const style = await locator.evaluate((el) => {
    const s = getComputedStyle(el);
    return { outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor, boxShadow: s.boxShadow };
  });
  const outline = style.outlineStyle !== "none" && style.outlineWidth > 0 && !transparent(style.outlineColor);
  const ring =
    style.boxShadow !== "none" && style.boxShadow.split(/,(?![^(]*\))/).some((shadow) => !transparent(shadow.match(/rgba?\([^)]*\)/)?.[0] ?? ""));
  expect(outline || ring, `focus ring on ${await locator.evaluate((el) => el.outerHTML.slice(0, 120))}: ${JSON.stringify(style)}`).toBe(true);
}

/** The element that has focus now, for expectFocusVisible after a Tab. */
export const focused = (page: Page) => page.locator(":focus");
