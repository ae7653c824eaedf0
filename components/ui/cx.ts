/** Joins class names, skipping false/null/undefined: `cx("a", pending && "b")`. */
export const cx = (...classes: Array<string | false | null | undefined>) => classes.filter(Boolean).join(" ");
