// Nothing but what every App Router page loads: the baseline of the first-load JS figures.
export default function Page() {
  return <main />;
}
